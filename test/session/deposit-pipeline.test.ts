import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REALISTIC_TIMINGS } from '../../src/hardware/simulator/sim-settings.js';
import { onLog } from '../../src/log/logger.js';
import { DEFAULT_WEIGHT_WAIT_MS, wireDepositPipeline } from '../../src/session/deposit-pipeline.js';
import { SessionFlow, type SessionState } from '../../src/session/session-flow.js';
import { FakeClassifier, FakeCredits } from '../helpers/fake-ports.js';
import { eventually } from '../helpers/eventually.js';
import { makeCustody, TrackingMachine } from './custody-fakes.js';

const points = { pet: 10, can: 12, glass: 5 };

function setup({ canAccept }: { canAccept?: () => boolean } = {}) {
  const machine = new TrackingMachine();
  const classifier = new FakeClassifier();
  const credits = new FakeCredits();
  const { custody } = makeCustody({ machine, credits });
  const states: SessionState[] = [];
  const flow = new SessionFlow((s) => states.push(s));
  wireDepositPipeline({ machine, classifier, custody, flow, points, dropTimeoutMs: 50, weightWaitMs: 20, ...(canAccept ? { canAccept } : {}) });
  flow.send('start_guest');
  // The intake frees before an item ends (it may still ride to its bin): wait for its result in the list too.
  let ended = 0;
  const settled = () => {
    const count = ++ended;
    return eventually(() => flow.current.phase === 'active' && states.at(-1)?.phase === 'active' && flow.current.items.length >= count, { what: 'the item ended, the session back in active', timeoutMs: 2_000 });
  };
  return { machine, classifier, credits, flow, states, settled };
}

describe('deposit pipeline', () => {
  it('hands an accepted item back, unsorted and uncredited, while the credit store cannot take a credit', async () => {
    let diskOk = false;
    const { machine, credits, flow, settled } = setup({ canAccept: () => diskOk });
    machine.emit('itemPresent');
    machine.emit('weight', 24.5);
    await settled();
    expect(machine.calls).toEqual(['return']);
    expect(credits.stored).toHaveLength(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, outcome: 'storage_error', returned: true, material: 'pet' });
    diskOk = true;
    machine.emit('itemPresent');
    machine.emit('weight', 24.5);
    await eventually(() => credits.stored.length === 1, { what: 'the next item credited once the store takes credits again', timeoutMs: 2_000 });
    expect(machine.calls).toEqual(['return', 'sort:plastic']);
  });

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
    expect(flow.current.items[0]).toMatchObject({ accepted: true, id: credits.stored[0]!.id, outcome: 'accepted', returned: false });
  });

  it('gives a rejected item back with its reason and credits nothing', async () => {
    const { machine, classifier, credits, flow, settled } = setup();
    classifier.next = { accepted: false, reason: 'not_a_container', confidence: 0.7, detections: [] };
    machine.emit('itemPresent');
    await settled();
    expect(machine.calls).toEqual(['return']);
    expect(credits.stored).toHaveLength(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, outcome: 'not_a_container', returned: true, points: 0 });
  });

  it('does not credit an item that never reached the bin (pulled back out)', async () => {
    const { machine, credits, flow, settled } = setup();
    machine.dropBehaviour = 'none';
    machine.afterSort = () => machine.emit('itemRemoved'); // the beam clears, no drop follows
    machine.emit('itemPresent');
    await settled();
    expect(credits.stored).toHaveLength(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, outcome: 'pulled_back', returned: false });
    expect(machine.calls).toEqual(['sort:plastic']);
    expect(flow.current.totalPoints).toBe(0);
  });

  it('hands back an item the controller acknowledged but never moved (the intake never cleared)', async () => {
    const { machine, credits, flow, settled } = setup();
    machine.dropBehaviour = 'none';
    machine.emit('itemPresent');
    await settled();
    expect(credits.stored).toHaveLength(0);
    expect(machine.calls).toEqual(['sort:plastic', 'return']);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, outcome: 'sort_failed', returned: true });
  });

  it('never tells the recycler an item counted when the store could not make it durable', async () => {
    const { machine, credits, flow, settled } = setup();
    credits.fail = true;
    machine.emit('itemPresent');
    await settled();
    expect(flow.current.totalPoints).toBe(0);
    expect(flow.current.items[0]).toMatchObject({ accepted: false, outcome: 'storage_error', returned: false });
  });

  it('hands back an item inserted with no session running', async () => {
    const { machine, flow } = setup();
    flow.send('finish');
    machine.emit('itemPresent');
    await eventually(() => machine.calls.length > 0, { what: 'the machine told to hand the item back', timeoutMs: 2_000 });
    expect(machine.calls).toEqual(['return']);
  });
});

/**
 * The load cell: one settled reading, taken after the item-present event and before classification, is the
 * weight the classifier judges and the weight the credit carries. Time is the logic here, so fake timers.
 */
describe('deposit pipeline: the settled weight', () => {
  let stopLogs: () => void = () => {};
  let logLines: string[] = [];

  beforeEach(() => {
    vi.useFakeTimers();
    logLines = [];
    stopLogs = onLog((_level, scope, message) => {
      if (scope === 'deposit') logLines.push(message);
    });
  });

  afterEach(() => {
    stopLogs();
    vi.useRealTimers();
  });

  function rig(options: { weightWaitMs?: number } = {}) {
    const machine = new TrackingMachine();
    const classifier = new FakeClassifier();
    const credits = new FakeCredits();
    const { custody } = makeCustody({ machine, credits });
    const flow = new SessionFlow(() => {});
    const off = wireDepositPipeline({ machine, classifier, custody, flow, points, dropTimeoutMs: 8_000, ...options });
    flow.send('start_guest');
    const done = () => flow.current.items.length;
    return { machine, classifier, credits, flow, off, done };
  }

  it('waits longer for the load cell than the simulator takes to settle, so the two never race', () => {
    expect(DEFAULT_WEIGHT_WAIT_MS).toBeGreaterThanOrEqual(2 * REALISTIC_TIMINGS.settleMs);
  });

  it('classifies with the reading taken after the item arrived, not one from before it', async () => {
    const { machine, classifier, credits, off } = rig();
    machine.emit('weight', 0.3); // the empty platform, before the item
    machine.emit('itemPresent');
    await vi.advanceTimersByTimeAsync(REALISTIC_TIMINGS.settleMs - 1);
    expect(classifier.weights).toEqual([]); // not classified before the load cell has spoken
    machine.emit('weight', 230.4);
    await vi.advanceTimersByTimeAsync(10);
    expect(classifier.weights).toEqual([230.4]);
    expect(credits.stored[0]).toMatchObject({ material: 'pet', weightGrams: 230.4 });
    off();
  });

  it('credits the weight captured before the sort, not the empty-platform reading after the drop', async () => {
    const { machine, classifier, credits, flow, off } = rig();
    classifier.next = { accepted: true, material: 'glass', confidence: 0.8, detections: [] };
    machine.weightAfterDrop = 0.2; // the item has left the load cell when the drop sensor fires
    machine.emit('itemPresent');
    await vi.advanceTimersByTimeAsync(REALISTIC_TIMINGS.settleMs);
    machine.emit('weight', 230);
    await vi.advanceTimersByTimeAsync(50);
    expect(machine.calls).toEqual(['sort:glass']);
    expect(credits.stored).toHaveLength(1);
    expect(credits.stored[0]!.weightGrams).toBe(230);
    expect(classifier.weights).toEqual([230]);
    expect(flow.current.items[0]).toMatchObject({ accepted: true, material: 'glass' });
    off();
  });

  it('still uses a reading that comes later than the simulator would send it, within the ceiling', async () => {
    const { machine, classifier, credits, off } = rig();
    machine.weightAfterDrop = 0.1;
    machine.emit('itemPresent');
    const late = REALISTIC_TIMINGS.settleMs + 200; // a slower load cell, plus serial latency
    await vi.advanceTimersByTimeAsync(late - 1);
    expect(classifier.weights).toEqual([]);
    machine.emit('weight', 41.7);
    await vi.advanceTimersByTimeAsync(50);
    expect(classifier.weights).toEqual([41.7]);
    expect(credits.stored[0]!.weightGrams).toBe(41.7);
    expect(logLines.filter((l) => /without a weight/.test(l))).toEqual([]);
    off();
  });

  it('classifies without a weight when none arrives by the ceiling, says so once, and credits weightGrams null', async () => {
    const { machine, classifier, credits, flow, off } = rig({ weightWaitMs: 1_000 });
    machine.weightAfterDrop = 0.2; // a reading after the ceiling must not be taken for the item's weight
    machine.emit('itemPresent');
    await vi.advanceTimersByTimeAsync(999);
    expect(classifier.weights).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(classifier.weights).toEqual([undefined]); // classification ran, with no weight
    expect(machine.calls).toEqual(['sort:plastic']);
    expect(credits.stored).toHaveLength(1);
    expect(credits.stored[0]!.weightGrams).toBeNull();
    expect(flow.current.items[0]).toMatchObject({ accepted: true });
    expect(logLines.filter((l) => /without a weight/.test(l))).toHaveLength(1);
    off();
  });

  it('stops listening to the load cell once it has the reading, and when unwired mid-wait', async () => {
    const { machine, off } = rig({ weightWaitMs: 1_000 });
    expect(machine.listenerCount('weight')).toBe(0);
    machine.emit('itemPresent');
    expect(machine.listenerCount('weight')).toBe(1);
    machine.emit('weight', 24);
    expect(machine.listenerCount('weight')).toBe(0);
    await vi.advanceTimersByTimeAsync(50);
    machine.emit('itemPresent');
    expect(machine.listenerCount('weight')).toBe(1);
    off();
    expect(machine.listenerCount('weight')).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(logLines.filter((l) => /without a weight/.test(l))).toEqual([]);
  });

  it('weighs each item afresh: the second item does not inherit the first one\'s reading', async () => {
    const { machine, classifier, credits, off } = rig({ weightWaitMs: 1_000 });
    machine.weightAfterDrop = 0.2;
    machine.emit('itemPresent');
    await vi.advanceTimersByTimeAsync(100);
    machine.emit('weight', 24);
    await vi.advanceTimersByTimeAsync(50);
    machine.emit('itemPresent');
    await vi.advanceTimersByTimeAsync(300);
    machine.emit('weight', 27.5);
    await vi.advanceTimersByTimeAsync(50);
    expect(classifier.weights).toEqual([24, 27.5]);
    expect(credits.stored.map((c) => c.weightGrams)).toEqual([24, 27.5]);
    off();
  });
});
