import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { oneByOneSender, type OutboxItem, type OutboxSender, type SendResult } from '../../src/outbox/sender.js';
import { eventually } from '../helpers/eventually.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
let outbox: Outbox | null = null;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(async () => {
  vi.useRealTimers();
  await outbox?.close();
  outbox = null;
  await cleanup();
});

const open = async (overrides: Record<string, unknown> = {}) =>
  (outbox = await Outbox.open(dir, outboxConfig.parse({ flushDelayMs: 5, batchSize: 5, ...overrides })));

/** A sender that records every batch and answers with `decide` (ok by default). */
function scriptedSender(decide: (batch: readonly OutboxItem[], call: number) => SendResult | Promise<SendResult> = () => ({ kind: 'ok' })) {
  const batches: string[][] = [];
  const sender: OutboxSender = {
    async send(batch) {
      batches.push(batch.map((b) => b.id));
      return decide(batch, batches.length);
    },
  };
  return { sender, batches, sent: () => batches.flat() };
}

describe('outbox flushing', () => {
  it('sends in recording order, in batches of the configured size', async () => {
    const box = await open();
    const credits = Array.from({ length: 23 }, (_, n) => makeCredit(n));
    for (const c of credits) await box.record(c);
    const { sender, batches, sent } = scriptedSender();
    box.attachSender(sender);
    await eventually(() => box.state().pending === 0, { what: 'the flush' });
    expect(sent()).toEqual(credits.map((c) => c.id));
    expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    expect(box.state()).toMatchObject({ pushed: 23, failed: 0, lastError: null });
    expect(box.state().lastPushAt).not.toBeNull();
  });

  it('acks the records a one-by-one sender got through before failing, and never resends them', async () => {
    const box = await open({ backoff: { firstMs: 10, factor: 1, maxMs: 10 } });
    for (let n = 0; n < 5; n += 1) await box.record(makeCredit(n));
    const calls: string[] = [];
    let failOnce = true;
    box.attachSender(
      oneByOneSender(async (item) => {
        calls.push(item.id);
        if (item.id === makeCredit(2).id && failOnce) {
          failOnce = false;
          return { kind: 'retryable', message: 'socket hang up' };
        }
        return { kind: 'ok' };
      }),
    );
    await eventually(() => box.state().pending === 0, { what: 'the flush' });
    const accepted = [0, 1, 2, 3, 4].map((n) => makeCredit(n).id);
    expect(calls).toEqual([accepted[0], accepted[1], accepted[2], ...accepted.slice(2)]);
  });

  it('finds the one record a batch was refused for, parks it, and delivers the rest', async () => {
    const box = await open();
    for (let n = 0; n < 12; n += 1) await box.record(makeCredit(n));
    const bad = makeCredit(3).id;
    const { sender, sent } = scriptedSender((batch) =>
      batch.some((b) => b.id === bad) ? { kind: 'permanent', message: 'HTTP 422 invalid item' } : { kind: 'ok' },
    );
    box.attachSender(sender);
    await eventually(() => box.state().pending === 0, { what: 'the flush' });
    const state = box.state();
    expect(state).toMatchObject({ failed: 1, pushed: 11 });
    expect(state.alarms).toContain('failed_records');
    expect(box.preview({ limit: 10 }).records).toEqual([expect.objectContaining({ id: bad, status: 'failed', error: 'HTTP 422 invalid item' })]);
    expect(new Set(sent()).size).toBe(12);
    expect(sent().filter((id) => id === bad)).toHaveLength(2); // once in its batch, once alone
  });

  it('parks a record the server fails on with a 5xx (a rolled-back batch), and delivers the rest', async () => {
    const box = await open({ batchSize: 10, poisonStrikes: 3, backoff: { firstMs: 5, factor: 1, maxMs: 5 } });
    for (let n = 0; n < 25; n += 1) await box.record(makeCredit(n));
    const bad = makeCredit(13).id;
    const { sender } = scriptedSender((batch) =>
      batch.some((b) => b.id === bad) ? { kind: 'retryable', message: 'SQLSTATE: not null violation', status: 500 } : { kind: 'ok' },
    );
    box.attachSender(sender);
    await eventually(() => box.state().pending === 0, { what: 'the stuck batch to clear' });
    expect(box.state()).toMatchObject({ failed: 1, pushed: 24 });
    expect(box.preview({ limit: 5 }).records[0]).toMatchObject({ id: bad, error: expect.stringMatching(/fails on this record alone \(HTTP 500\)/) });
  });

  it('parks nothing during a real outage, however long', async () => {
    const box = await open({ poisonStrikes: 2, backoff: { firstMs: 2, factor: 1, maxMs: 2 } });
    for (let n = 0; n < 6; n += 1) await box.record(makeCredit(n));
    const { sender } = scriptedSender(() => ({ kind: 'retryable', message: 'HTTP 503', status: 503 }));
    box.attachSender(sender);
    await eventually(() => box.state().failedAttempts >= 15, { what: 'many failed attempts' });
    expect(box.state()).toMatchObject({ pending: 6, failed: 0 });
  });

  it('backs off after a failure: new records wait for the backoff instead of triggering sends', async () => {
    const box = await open({ backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    let up = false;
    const { sender, batches } = scriptedSender(() => (up ? { kind: 'ok' } : { kind: 'retryable', message: 'ECONNREFUSED' }));
    box.attachSender(sender);
    await box.record(makeCredit(1));
    await eventually(() => box.state().nextAttemptAt !== null, { what: 'the backoff' });
    // Fake timers from here (the backoff's own 60 s timer is already a real one): a record that scheduled a
    // flush would leave a fake timer, and 200 ms of fake time (many flush delays) would fire it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    for (let n = 2; n <= 6; n += 1) await box.record(makeCredit(n));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    vi.useRealTimers();
    expect(batches).toHaveLength(1);
    expect(box.state()).toMatchObject({ pending: 6, lastError: 'ECONNREFUSED' });
    up = true;
    box.retrySoon();
    await eventually(() => box.state().pending === 0, { what: 'the retry' });
    expect(box.state().nextAttemptAt).toBeNull();
  });

  it("honours the server's Retry-After", async () => {
    const box = await open({ backoff: { firstMs: 10, factor: 2, maxMs: 20 } });
    const { sender } = scriptedSender(() => ({ kind: 'retryable', message: 'HTTP 429', retryAfterMs: 30_000 }));
    box.attachSender(sender);
    await box.record(makeCredit(1));
    await eventually(() => box.state().nextAttemptAt !== null, { what: 'the backoff' });
    const state = box.state();
    expect(state.nextAttemptAt! - state.lastAttemptAt!).toBeGreaterThanOrEqual(30_000);
  });

  it('survives a sender that throws or never answers: the records stay owed', async () => {
    const box = await open({ sendTimeoutMs: 100, backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    await box.record(makeCredit(1));
    box.attachSender({ send: () => new Promise<SendResult>(() => undefined) });
    await eventually(() => box.state().lastError !== null, { what: 'the timeout' });
    expect(box.state()).toMatchObject({ pending: 1, lastError: 'send timed out after 100 ms' });
    const report = await box.push();
    expect(report).toMatchObject({ outcome: 'retryable', pushed: 0 });
  });

  it('turns a thrown error into a retryable failure', async () => {
    const box = await open({ backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    await box.record(makeCredit(1));
    box.attachSender({ send: () => Promise.reject(new Error('boom')) });
    await eventually(() => box.state().lastError === 'boom', { what: 'the failure' });
    expect(box.state().pending).toBe(1);
  });
});

describe('manual push and preview', () => {
  it('pushes only the records in the requested range, parked ones included', async () => {
    const box = await open({ backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    for (let n = 0; n < 10; n += 1) await box.record(makeCredit(n));
    let refuse = true;
    const { sender, sent } = scriptedSender(() => (refuse ? { kind: 'permanent', message: 'bad' } : { kind: 'ok' }));
    box.attachSender(sender);
    await eventually(() => box.state().failed === 10, { what: 'all parked' });
    refuse = false;
    const from = makeCredit(4).at;
    const to = makeCredit(7).at;
    const before = sent().length;
    const report = await box.push({ from, to });
    expect(report).toMatchObject({ outcome: 'ok', pushed: 3, failed: 0 });
    expect(sent().slice(before)).toEqual([4, 5, 6].map((n) => makeCredit(n).id));
    expect(box.state()).toMatchObject({ failed: 7, pushed: 3 });
  });

  it('previews owed records with a limit, a total and a time range', async () => {
    const box = await open();
    for (let n = 0; n < 8; n += 1) await box.record(makeCredit(n, n === 2 ? { image: Buffer.from('jpeg') } : {}));
    const all = box.preview({ limit: 3 });
    expect(all.total).toBe(8);
    expect(all.records.map((r) => r.id)).toEqual([0, 1, 2].map((n) => makeCredit(n).id));
    expect(all.records[2]).toMatchObject({ hasImage: true, status: 'pending', error: null });
    const ranged = box.preview({ limit: 50, from: Date.parse(makeCredit(6).at) });
    expect(ranged.records.map((r) => r.id)).toEqual([6, 7].map((n) => makeCredit(n).id));
  });

  it('refuses a manual push before the server link is attached', async () => {
    const box = await open();
    await expect(box.push()).rejects.toThrow(/not attached/);
  });
});

describe('alarms', () => {
  it('flags a backlog and a full disk', async () => {
    let free = 10 * 1024 * 1024 * 1024;
    outbox = await Outbox.open(dir, outboxConfig.parse({ alarmPending: 3, maxPending: 5, minFreeBytes: 1024 }), { freeBytes: async () => free });
    for (let n = 0; n < 2; n += 1) await outbox.record(makeCredit(n));
    expect(outbox.state().alarms).toEqual([]);
    await outbox.record(makeCredit(2));
    expect(outbox.state().alarms).toEqual(['backlog']);
    for (let n = 3; n < 5; n += 1) await outbox.record(makeCredit(n));
    expect(outbox.state().alarms).toEqual(['backlog', 'backlog_full']);
    await outbox.close();
    free = 100;
    outbox = await Outbox.open(dir, outboxConfig.parse({}), { freeBytes: async () => free });
    expect(outbox.state().alarms).toEqual(['disk_low']);
  });
});

describe('a full disk that frees up', () => {
  it('takes credits again within seconds of space returning, without a credit to trigger the check', async () => {
    let free = 100;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const box = await Outbox.open(dir, outboxConfig.parse({ minFreeBytes: 1024 }), { freeBytes: async () => free });
    outbox = box;
    expect(box.canAccept()).toBe(false);
    free = 10 * 1024 * 1024 * 1024;
    await vi.advanceTimersByTimeAsync(2_000);
    vi.useRealTimers();
    // The check started at 2 s reads the quarantine folder (real I/O): give it a moment, far below 30 s.
    await eventually(() => box.canAccept(), { what: 'the outbox taking credits again', timeoutMs: 1_000 });
    expect(box.state().alarms).toEqual([]);
  });
});

describe("a server's retry delay", () => {
  const MINUTES_15 = 15 * 60_000;

  /** An outbox whose server always says "later, after `retryAfterMs`"; fake timers from the first send on. */
  async function alwaysLater(retryAfterMs: number, overrides: Record<string, unknown> = {}) {
    const box = await open(overrides);
    await box.record(makeCredit(1));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { sender, batches } = scriptedSender(() => ({ kind: 'retryable', message: 'HTTP 429', status: 429, retryAfterMs }));
    box.attachSender(sender);
    await vi.advanceTimersByTimeAsync(0); // the first pass
    expect(batches).toHaveLength(1);
    return { box, batches, waited: () => box.state().nextAttemptAt! - box.state().lastAttemptAt! };
  }

  // 10^10 ms is past setTimeout's 2^31−1 ms: unclamped, Node fires it after 1 ms and the outbox spins
  // (45 requests/s in the field). 86 400 000 ms fits, but would hold every credit back for a day.
  it.each([1e10, 86_400_000])('bounds Retry-After = %d ms to 15 min: no retry within a second, the next one at 15 min', async (retryAfterMs) => {
    const { batches, waited } = await alwaysLater(retryAfterMs);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toHaveLength(1);
    expect(waited()).toBe(MINUTES_15);
    await vi.advanceTimersByTimeAsync(MINUTES_15 - 1_000 - 1);
    expect(batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toHaveLength(2);
    expect(waited()).toBe(MINUTES_15); // and again: it never falls back to ~1 ms
  });

  it('takes the bound from outbox.maxServerDelayMs, and never waits less than backoff.firstMs', async () => {
    expect(outboxConfig.parse({}).maxServerDelayMs).toBe(MINUTES_15);
    expect(() => outboxConfig.parse({ maxServerDelayMs: 2 ** 31 })).toThrow();
    const capped = await alwaysLater(3_600_000, { maxServerDelayMs: 5_000 });
    expect(capped.waited()).toBe(5_000);
    vi.useRealTimers();
    await outbox?.close();
    const floored = await alwaysLater(0, { backoff: { firstMs: 2_000, factor: 2, maxMs: 60_000 } });
    expect(floored.waited()).toBe(2_000);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(floored.batches).toHaveLength(1);
  });

  it('honours a Retry-After within the bounds exactly', async () => {
    const { waited } = await alwaysLater(42_000);
    expect(waited()).toBe(42_000);
  });
});

describe('shutdown', () => {
  it('closes promptly with a send hanging, and the batch is still owed after reopening', async () => {
    const box = await open();
    await box.record(makeCredit(1));
    let asked = 0;
    box.attachSender({
      send: () => {
        asked += 1;
        return new Promise<SendResult>(() => undefined);
      },
    });
    await eventually(() => asked === 1, { what: 'the send' });
    await box.close(50);
    outbox = await Outbox.open(dir, outboxConfig.parse({}));
    expect(outbox.state().pending).toBe(1);
  });
});
