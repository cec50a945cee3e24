import { describe, expect, it } from 'vitest';
import { wireDepositPipeline } from '../../src/session/deposit-pipeline.js';
import { SessionFlow, type SessionState } from '../../src/session/session-flow.js';
import { FakeClassifier, FakeCredits, FakeMachine } from '../helpers/fake-ports.js';

const points = { pet: 10, can: 12, glass: 5 };

function setup() {
  const machine = new FakeMachine();
  const classifier = new FakeClassifier();
  const credits = new FakeCredits();
  const states: SessionState[] = [];
  const flow = new SessionFlow((s) => states.push(s));
  wireDepositPipeline({ machine, classifier, credits, flow, points, dropTimeoutMs: 50, weightWaitMs: 20 });
  flow.send('start_guest');
  const settled = () =>
    new Promise<void>((resolve) => {
      const check = () => (flow.current.phase === 'active' && states.at(-1)?.phase === 'active' ? resolve() : setTimeout(check, 2));
      setTimeout(check, 2);
    });
  return { machine, classifier, credits, flow, states, settled };
}

describe('deposit pipeline', () => {
  it('credits an accepted item only after the drop and the durable write, with the weight', async () => {
    const { machine, classifier, credits, flow, settled } = setup();
    machine.emit('itemPresent');
    machine.emit('weight', 24.5);
    await settled();
    expect(machine.calls).toEqual(['sort:plastic']);
    expect(classifier.weights).toEqual([24.5]);
    expect(credits.stored).toHaveLength(1);
    expect(credits.stored[0]).toMatchObject({ material: 'pet', points: 10, weightGrams: 24.5, sessionId: flow.current.sessionId });
    expect(flow.current.totalPoints).toBe(10);
    expect(flow.current.items[0]).toMatchObject({ accepted: true, id: credits.stored[0]!.id });
  });

  it('gives a rejected item back with its reason and credits nothing', async () => {
    const { machine, classifier, credits, flow, settled } = setup();
    classifier.next = { accepted: false, reason: 'not_a_container', confidence: 0.7, detections: [] };
    machine.emit('itemPresent');
    await settled();
    expect(machine.calls).toEqual(['return']);
    expect(credits.stored).toHaveLength(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, rejectReason: 'not_a_container', points: 0 });
  });

  it('does not credit an item that never reached the bin (pulled back out)', async () => {
    const { machine, credits, flow, settled } = setup();
    machine.dropBehaviour = 'none';
    machine.emit('itemPresent');
    await settled();
    expect(credits.stored).toHaveLength(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, rejectReason: 'not_dropped' });
    expect(flow.current.totalPoints).toBe(0);
  });

  it('never tells the recycler an item counted when the store could not make it durable', async () => {
    const { machine, credits, flow, settled } = setup();
    credits.fail = true;
    machine.emit('itemPresent');
    await settled();
    expect(flow.current.totalPoints).toBe(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, rejectReason: 'storage_error' });
  });

  it('hands back an item inserted with no session running', async () => {
    const { machine, flow } = setup();
    flow.send('finish');
    machine.emit('itemPresent');
    await new Promise((r) => setTimeout(r, 5));
    expect(machine.calls).toEqual(['return']);
  });
});
