import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/outbox/backoff.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { oneByOneSender, type OutboxItem, type OutboxSender, type SendResult } from '../../src/outbox/sender.js';
import { makeCredit, makeTempDir, waitFor } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
let outbox: Outbox | null = null;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(async () => {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox flushing', () => {
  it('sends in recording order, in batches of the configured size', async () => {
    const box = await open();
    const credits = Array.from({ length: 23 }, (_, n) => makeCredit(n));
    for (const c of credits) await box.record(c);
    const { sender, batches, sent } = scriptedSender();
    box.attachSender(sender);
    await waitFor(() => box.state().pending === 0, 'the flush');
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
    await waitFor(() => box.state().pending === 0, 'the flush');
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
    await waitFor(() => box.state().pending === 0, 'the flush');
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
    await waitFor(() => box.state().pending === 0, 'the stuck batch to clear');
    expect(box.state()).toMatchObject({ failed: 1, pushed: 24 });
    expect(box.preview({ limit: 5 }).records[0]).toMatchObject({ id: bad, error: expect.stringMatching(/fails on this record alone \(HTTP 500\)/) });
  });

  it('parks nothing during a real outage, however long', async () => {
    const box = await open({ poisonStrikes: 2, backoff: { firstMs: 2, factor: 1, maxMs: 2 } });
    for (let n = 0; n < 6; n += 1) await box.record(makeCredit(n));
    const { sender } = scriptedSender(() => ({ kind: 'retryable', message: 'HTTP 503', status: 503 }));
    box.attachSender(sender);
    await waitFor(() => box.state().failedAttempts >= 15, 'many failed attempts');
    expect(box.state()).toMatchObject({ pending: 6, failed: 0 });
  });

  it('backs off after a failure: new records wait for the backoff instead of triggering sends', async () => {
    const box = await open({ backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    let up = false;
    const { sender, batches } = scriptedSender(() => (up ? { kind: 'ok' } : { kind: 'retryable', message: 'ECONNREFUSED' }));
    box.attachSender(sender);
    await box.record(makeCredit(1));
    await waitFor(() => box.state().nextAttemptAt !== null, 'the backoff');
    for (let n = 2; n <= 6; n += 1) await box.record(makeCredit(n));
    await sleep(200); // many flush delays long: without the backoff, these records would have been sent
    expect(batches).toHaveLength(1);
    expect(box.state()).toMatchObject({ pending: 6, lastError: 'ECONNREFUSED' });
    up = true;
    box.retrySoon();
    await waitFor(() => box.state().pending === 0, 'the retry');
    expect(box.state().nextAttemptAt).toBeNull();
  });

  it("honours the server's Retry-After", async () => {
    const box = await open({ backoff: { firstMs: 10, factor: 2, maxMs: 20 } });
    const { sender } = scriptedSender(() => ({ kind: 'retryable', message: 'HTTP 429', retryAfterMs: 30_000 }));
    box.attachSender(sender);
    await box.record(makeCredit(1));
    await waitFor(() => box.state().nextAttemptAt !== null, 'the backoff');
    const state = box.state();
    expect(state.nextAttemptAt! - state.lastAttemptAt!).toBeGreaterThanOrEqual(30_000);
  });

  it('survives a sender that throws or never answers: the records stay owed', async () => {
    const box = await open({ sendTimeoutMs: 100, backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    await box.record(makeCredit(1));
    box.attachSender({ send: () => new Promise<SendResult>(() => undefined) });
    await waitFor(() => box.state().lastError !== null, 'the timeout');
    expect(box.state()).toMatchObject({ pending: 1, lastError: 'send timed out after 100 ms' });
    const report = await box.push();
    expect(report).toMatchObject({ outcome: 'retryable', pushed: 0 });
  });

  it('turns a thrown error into a retryable failure', async () => {
    const box = await open({ backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    await box.record(makeCredit(1));
    box.attachSender({ send: () => Promise.reject(new Error('boom')) });
    await waitFor(() => box.state().lastError === 'boom', 'the failure');
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
    await waitFor(() => box.state().failed === 10, 'all parked');
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

describe('backoffDelay', () => {
  const policy = { firstMs: 1000, factor: 2, maxMs: 60_000 };
  it('grows by the factor up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0))).toEqual([500, 1000, 2000]);
    expect(backoffDelay(20, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(30_000);
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
    await waitFor(() => asked === 1, 'the send');
    await box.close(50);
    outbox = await Outbox.open(dir, outboxConfig.parse({}));
    expect(outbox.state().pending).toBe(1);
  });
});
