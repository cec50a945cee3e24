/** The kiosk-wide backoff: schedule, cap, equal jitter, and delays that always fit a timer. */
import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay, clampTimerMs, MAX_TIMER_MS, type BackoffPolicy } from '../../src/core/backoff.js';

const policy: BackoffPolicy = { firstMs: 1_000, factor: 2, maxMs: 60_000 };
const top = () => 1;
const bottom = () => 0;

describe('backoffDelay', () => {
  it('grows by the factor from firstMs and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, policy, top))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(backoffDelay(1, { firstMs: 250, factor: 3, maxMs: 5_000 }, top)).toBe(250);
    expect(backoffDelay(3, { firstMs: 250, factor: 3, maxMs: 5_000 }, top)).toBe(2_250);
  });

  it('treats attempt 0 or less like the first retry', () => {
    expect(backoffDelay(0, policy, top)).toBe(1_000);
    expect(backoffDelay(-5, policy, top)).toBe(1_000);
    expect(backoffDelay(Number.NaN, policy, top)).toBe(1_000);
  });

  it('uses equal jitter: between half the ceiling and the ceiling', () => {
    expect(backoffDelay(1, policy, bottom)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(750);
    expect(backoffDelay(1, policy, top)).toBe(1_000);
    expect(backoffDelay(30, policy, bottom)).toBe(30_000);
    expect(backoffDelay(30, policy, top)).toBe(60_000);
    for (let i = 0; i < 1_000; i += 1) {
      const n = 1 + (i % 10);
      const ceiling = Math.min(60_000, 1_000 * 2 ** (n - 1));
      const d = backoffDelay(n, policy);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });

  it('keeps a bad random() inside the range', () => {
    expect(backoffDelay(1, policy, () => -3)).toBe(500);
    expect(backoffDelay(1, policy, () => 7)).toBe(1_000);
    expect(backoffDelay(1, policy, () => Number.NaN)).toBe(500);
  });

  it('gives the plain ceiling without jitter', () => {
    const plain = { ...policy, jitter: false };
    expect([1, 2, 3, 10].map((n) => backoffDelay(n, plain, bottom))).toEqual([1_000, 2_000, 4_000, 60_000]);
  });

  it('never overflows: huge attempt numbers give the cap, never NaN, Infinity or more than a timer holds', () => {
    for (const n of [1_024, 1e6, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Infinity]) {
      expect(backoffDelay(n, policy, top)).toBe(60_000);
      expect(backoffDelay(n, { firstMs: 0, factor: 2, maxMs: 60_000 }, top)).toBe(0);
      expect(backoffDelay(n, { firstMs: 1_000, factor: 1, maxMs: 60_000 }, top)).toBe(1_000);
      expect(backoffDelay(n, { firstMs: 1_000, factor: 10, maxMs: Infinity }, top)).toBe(MAX_TIMER_MS);
    }
    expect(backoffDelay(100, { firstMs: 1_000, factor: 2, maxMs: 10 ** 12 }, top)).toBe(MAX_TIMER_MS);
  });

  it('never shrinks with a factor below 1, and lets a cap below firstMs win', () => {
    expect(backoffDelay(5, { firstMs: 1_000, factor: 0.5, maxMs: 60_000 }, top)).toBe(1_000);
    expect(backoffDelay(1, { firstMs: 1_000, factor: 2, maxMs: 200 }, top)).toBe(200);
  });
});

describe('clampTimerMs', () => {
  it('keeps every delay within what setTimeout honours', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(clampTimerMs(1_500)).toBe(1_500);
    expect(clampTimerMs(-1)).toBe(0);
    expect(clampTimerMs(1e10)).toBe(MAX_TIMER_MS);
    expect(clampTimerMs(Infinity)).toBe(MAX_TIMER_MS);
    expect(clampTimerMs(Number.NaN)).toBe(0);
  });
});

describe('Backoff', () => {
  it('counts failures, grows, and starts over after reset()', () => {
    const b = new Backoff({ firstMs: 250, factor: 2, maxMs: 1_000, jitter: false });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([250, 500, 1_000, 1_000]);
    expect(b.attempts).toBe(4);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(250);
  });

  it('jitters with the injected random', () => {
    const b = new Backoff(policy, bottom);
    expect([b.next(), b.next()]).toEqual([500, 1_000]);
  });
});
