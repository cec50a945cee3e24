/**
 * A good client in a fleet (docs/performance.md, "Fleet through an outage"): the first handshake after start
 * waits a random time within its window instead of going at once, periodic calls are jittered around their
 * period, and the spread draws stay within their bounds whatever the random source says. Fake timers:
 * time is the logic here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jitteredPeriod, MAX_TIMER_MS, spreadDelay } from '../../src/core/backoff.js';
import type { ApiClient } from '../../src/server/api-client.js';
import { HandshakeRunner } from '../../src/server/handshake-runner.js';
import type { HandshakeRequest } from '../../src/server/schemas/edge.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('spreadDelay', () => {
  it('draws uniformly within [0, window]', () => {
    expect(spreadDelay(10_000, () => 0)).toBe(0);
    expect(spreadDelay(10_000, () => 0.25)).toBe(2_500);
    expect(spreadDelay(10_000, () => 1)).toBe(10_000);
  });

  it('stays in bounds for a broken random source and an oversized window', () => {
    expect(spreadDelay(10_000, () => Number.NaN)).toBe(0);
    expect(spreadDelay(10_000, () => 7)).toBe(10_000);
    expect(spreadDelay(10_000, () => -1)).toBe(0);
    expect(spreadDelay(Number.POSITIVE_INFINITY, () => 1)).toBe(MAX_TIMER_MS);
    expect(spreadDelay(0, () => 1)).toBe(0);
  });
});

describe('jitteredPeriod', () => {
  it('stays within ±20 % of the period with the period as its middle', () => {
    expect(jitteredPeriod(30_000, () => 0)).toBe(24_000);
    expect(jitteredPeriod(30_000, () => 0.5)).toBe(30_000);
    expect(jitteredPeriod(30_000, () => 1)).toBe(36_000);
    expect(jitteredPeriod(30_000, () => 1, 0.5)).toBe(45_000);
  });

  it('spreads a fleet: 200 kiosks in step drift apart within a few rounds', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    // 200 kiosks that started in the same millisecond; after 5 polling rounds, how many share a second?
    const at = Array.from({ length: 200 }, () => Array.from({ length: 5 }, () => jitteredPeriod(30_000, random)).reduce((a, b) => a + b, 0));
    const perSecond = new Map<number, number>();
    for (const t of at) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    // With setInterval all 200 would still share one second; spread, no second has more than a handful.
    expect(Math.max(...perSecond.values())).toBeLessThan(20);
  });
});

describe('HandshakeRunner start spread', () => {
  const body = {} as HandshakeRequest;
  const downClient = (calls: number[]) =>
    ({
      call: async () => {
        calls.push(Date.now());
        return { ok: false, kind: 'network', status: null, message: 'connect ECONNREFUSED', body: undefined, retryAfterMs: null };
      },
    }) as unknown as ApiClient;

  it('waits a random time within the start window before the first try', async () => {
    vi.useFakeTimers({ now: 0 });
    const calls: number[] = [];
    const runner = new HandshakeRunner({ client: downClient(calls), body: () => body, firstDelayMs: 5_000, capMs: 60_000, startSpreadMs: 8_000, random: () => 0.5, onOutcome: () => undefined });
    runner.start();
    await vi.advanceTimersByTimeAsync(3_999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([4_000]);
    runner.stop();
  });

  it('then backs off with equal jitter from firstDelayMs', async () => {
    vi.useFakeTimers({ now: 0 });
    const calls: number[] = [];
    const runner = new HandshakeRunner({ client: downClient(calls), body: () => body, firstDelayMs: 5_000, capMs: 60_000, startSpreadMs: 2_000, random: () => 0, onOutcome: () => undefined });
    runner.start();
    await vi.advanceTimersByTimeAsync(0);
    // random 0: no start wait, then the floors of equal jitter: 2.5 s, 5 s, 10 s.
    await vi.advanceTimersByTimeAsync(2_500 + 5_000 + 10_000);
    expect(calls).toEqual([0, 2_500, 7_500, 17_500]);
    runner.stop();
  });

  it('tries at once with no window (the demo simulator has no fleet)', async () => {
    vi.useFakeTimers({ now: 0 });
    const calls: number[] = [];
    const runner = new HandshakeRunner({ client: downClient(calls), body: () => body, firstDelayMs: 5_000, capMs: 60_000, random: () => 1, onOutcome: () => undefined });
    runner.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0]);
    runner.stop();
  });
});
