/**
 * The deposit pipeline's outcome for every failure path, with fakes (the same paths against the controller
 * simulator over a pty: test/integration/item-failures*.test.ts). Each item ends with exactly one outcome,
 * a failure while the item is in the intake hands it back, a failed hand-back raises the stuck alarm, and no
 * listener outlives the item.
 */
import { describe, expect, it } from 'vitest';
import type { Bin } from '../../src/domain/ports.js';
import type { MaterialGate } from '../../src/session/item-processing.js';
import { wireDepositPipeline } from '../../src/session/deposit-pipeline.js';
import { SessionFlow } from '../../src/session/session-flow.js';
import type { MaterialAvailability } from '../../src/session/availability.js';
import { FakeClassifier, FakeCredits } from '../helpers/fake-ports.js';
import { eventually } from '../helpers/eventually.js';
import { makeCustody, TrackingMachine } from './custody-fakes.js';

const points = { pet: 10, can: 12, glass: 5 };

class FakeAvailability implements MaterialGate {
  readonly unavailable = new Map<string, MaterialAvailability>();
  readonly refused: Bin[] = [];
  of(material: 'pet' | 'can' | 'glass'): MaterialAvailability {
    return this.unavailable.get(material) ?? { accepting: true, reason: null };
  }
  refuseBin(bin: Bin): void {
    this.refused.push(bin);
  }
}

const nak = (nakCode: string) => Object.assign(new Error(`NAK ${nakCode}`), { code: 'nak', nakCode });

function setup() {
  const machine = new TrackingMachine();
  const classifier = new FakeClassifier();
  const credits = new FakeCredits();
  const availability = new FakeAvailability();
  const stuck: string[] = [];
  const { custody } = makeCustody({ machine, credits });
  const flow = new SessionFlow(() => {});
  const off = wireDepositPipeline({ machine, classifier, custody, flow, points, dropTimeoutMs: 50, weightWaitMs: 20, availability, onStuck: (d) => stuck.push(d) });
  flow.send('start_guest');
  const item = async (n = 1) => {
    await eventually(() => flow.current.items.length >= n && flow.current.phase === 'active', { what: `item ${n} settled`, timeoutMs: 2_000 });
    return flow.current.items[n - 1]!;
  };
  return { machine, classifier, credits, availability, stuck, flow, off, item };
}

describe('deposit pipeline: one outcome per item', () => {
  it('hands the item back as detector_error when the classifier throws', async () => {
    const { machine, classifier, credits, item } = setup();
    classifier.classify = async () => {
      throw new Error('onnx session crashed');
    };
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'detector_error', returned: true, accepted: false, points: 0 });
    expect(machine.calls).toEqual(['return']);
    expect(credits.stored).toEqual([]);
  });

  it('hands back a material that is not accepted now, before the gate moves', async () => {
    const { machine, classifier, availability, item } = setup();
    classifier.next = { accepted: true, material: 'glass', confidence: 0.9, detections: [] };
    availability.unavailable.set('glass', { accepting: false, reason: 'bin_full' });
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'material_unavailable', material: 'glass', returned: true });
    expect(machine.calls).toEqual(['return']);
  });

  it('turns a gate NAK BIN_FULL into material_unavailable, hands the item back and refuses that bin', async () => {
    const { machine, availability, credits, item } = setup();
    machine.sortFails = nak('BIN_FULL');
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'material_unavailable', material: 'pet', returned: true });
    expect(machine.calls).toEqual(['sort:plastic', 'return']);
    expect(availability.refused).toEqual(['plastic']);
    expect(credits.stored).toEqual([]);
  });

  it('turns another sort NAK into sort_failed and hands the item back, without refusing the bin', async () => {
    const { machine, availability, item } = setup();
    machine.sortFails = nak('JAM');
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'sort_failed', returned: true });
    expect(machine.calls).toEqual(['sort:plastic', 'return']);
    expect(availability.refused).toEqual([]);
  });

  it('says item_stuck and raises the alarm when the hand-back fails too', async () => {
    const { machine, classifier, stuck, item } = setup();
    classifier.next = { accepted: false, reason: 'not_a_container', confidence: 0.4, detections: [] };
    machine.returnFails = nak('CHUTE_BLOCKED');
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'item_stuck', returned: false });
    expect(stuck).toEqual([expect.stringMatching(/not_a_container.*NAK CHUTE_BLOCKED/)]);
  });

  it('counts nothing for an item taken out of the intake before the gate moved', async () => {
    const { machine, item } = setup();
    machine.emit('itemPresent');
    machine.emit('itemRemoved');
    expect(await item()).toMatchObject({ outcome: 'pulled_back', returned: false, material: 'pet' });
    expect(machine.calls).toEqual([]);
  });

  it('says wrong_bin, credits nothing, for an item the controller says dropped into another bin', async () => {
    const { machine, credits, item } = setup();
    machine.dropBehaviour = 'none';
    machine.afterSort = () => {
      const id = machine.sortedIds.at(-1)!;
      machine.whereabouts.set(id, { state: 'dropped', bin: 'can' });
      machine.emit('itemDropped', 'can', id);
    };
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'wrong_bin', returned: false, points: 0 });
    expect(credits.stored).toEqual([]);
  });

  it('says drop_unconfirmed, without a hand-back, when the controller cannot be asked after the sort', async () => {
    const { machine, item } = setup();
    machine.dropBehaviour = 'none';
    machine.whereFails = new Error('link down');
    machine.emit('itemPresent');
    expect(await item()).toMatchObject({ outcome: 'drop_unconfirmed', returned: false });
    expect(machine.calls).toEqual(['sort:plastic']);
  });

  it('ignores a second item-present while an item is processing, and never hands the first one back for it', async () => {
    const { machine, classifier, credits, item, flow } = setup();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const classify = classifier.classify.bind(classifier);
    classifier.classify = async (w) => {
      await gate;
      return classify(w);
    };
    machine.emit('itemPresent');
    await eventually(() => flow.current.phase === 'processing', { what: 'the first item processing' });
    machine.emit('itemPresent');
    release();
    expect(await item()).toMatchObject({ outcome: 'accepted' });
    expect(machine.calls).toEqual(['sort:plastic']);
    expect(credits.stored).toHaveLength(1);
    expect(flow.current.items).toHaveLength(1);
  });

  it('leaves no listener behind once an item has ended, however it ended', async () => {
    const { machine, classifier, item, off } = setup();
    const before = { weight: machine.listenerCount('weight'), itemRemoved: machine.listenerCount('itemRemoved'), itemDropped: machine.listenerCount('itemDropped') };
    machine.emit('itemPresent'); // no weight comes: the capture times out
    await item(1);
    classifier.next = { accepted: false, reason: 'low_confidence', confidence: 0.3, detections: [] };
    machine.emit('itemPresent');
    machine.emit('weight', 30);
    await item(2);
    machine.sortFails = nak('JAM');
    classifier.next = { accepted: true, material: 'can', confidence: 0.9, detections: [] };
    machine.emit('itemPresent');
    await item(3);
    expect({ weight: machine.listenerCount('weight'), itemRemoved: machine.listenerCount('itemRemoved'), itemDropped: machine.listenerCount('itemDropped') }).toEqual(before);
    off();
    expect(machine.listenerCount('itemPresent')).toBe(0);
  });
});
