import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '../../src/core/backoff.js';
import { decideRetry, defaultRetryPolicy, isRetryableStatus, parseRetryAfter, retryAfterSeconds, retryBackoff } from '../../src/server/retry.js';

/** Jitter pinned to its top: the delay is the schedule's ceiling (equal jitter draws from half of it up). */
const top = () => 1;

describe('retry policy', () => {
  it('doubles from 1 s by default and stops at the 60 s cap', () => {
    const endless = { ...defaultRetryPolicy, attempts: Infinity };
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => decideRetry(n, 503, null, endless, top));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000].map((delayMs) => ({ retry: true, delayMs })));
  });

  it('uses the common backoff with equal jitter, never past the cap', () => {
    expect(retryBackoff(defaultRetryPolicy)).toEqual({ firstMs: 1_000, factor: 2, maxMs: 60_000 });
    expect(decideRetry(1, 503, null, defaultRetryPolicy, () => 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(1, 503, null, defaultRetryPolicy, top)).toEqual({ retry: true, delayMs: 1_000 });
    expect(decideRetry(7, 503, null, { ...defaultRetryPolicy, attempts: 10 }, top)).toEqual({ retry: true, delayMs: 60_000 });
  });

  it('retries network errors, 429 and 500/502/503/504 only', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 413, 422, 501]) expect(isRetryableStatus(s)).toBe(false);
    expect(decideRetry(1, null, null, defaultRetryPolicy, top)).toEqual({ retry: true, delayMs: 1_000 });
    expect(decideRetry(1, 422, null, defaultRetryPolicy, top)).toEqual({ retry: false });
    expect(decideRetry(1, 401, 5_000, defaultRetryPolicy, top)).toEqual({ retry: false });
  });

  it('gives up after the configured number of attempts', () => {
    expect(decideRetry(2, 503, null, defaultRetryPolicy, top)).toEqual({ retry: true, delayMs: 2_000 });
    expect(decideRetry(3, 503, null, defaultRetryPolicy, top)).toEqual({ retry: false });
  });

  it('lets Retry-After win over the backoff, and ends the call when it is longer than the cap', () => {
    expect(decideRetry(1, 429, 7_000, defaultRetryPolicy, top)).toEqual({ retry: true, delayMs: 7_000 });
    expect(decideRetry(1, 429, 3_600_000, defaultRetryPolicy, top)).toEqual({ retry: false });
  });

  it('never hands a timer more than it can hold, even with a cap configured past it', () => {
    const huge = { ...defaultRetryPolicy, capMs: 10 ** 12 };
    expect(decideRetry(1, 429, 10 ** 11, huge, top)).toEqual({ retry: true, delayMs: MAX_TIMER_MS });
    expect(decideRetry(2, 503, null, { ...huge, firstDelayMs: 10 ** 11 }, top)).toEqual({ retry: true, delayMs: MAX_TIMER_MS });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-31T03:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Sat, 31 Jan 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 31 Jan 2026 02:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('bounds a huge Retry-After to what a timer can hold, instead of overflowing into a 1 ms timer', () => {
    const now = Date.parse('2026-01-31T03:00:00Z');
    expect(parseRetryAfter('86400', now)).toBe(86_400_000); // long but representable: the caller caps it
    expect(parseRetryAfter('10000000', now)).toBe(MAX_TIMER_MS); // 10^10 ms
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(MAX_TIMER_MS); // Number() gives Infinity
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(MAX_TIMER_MS);
  });

  it('reads a body retry_after in seconds with the same bounds', () => {
    expect(retryAfterSeconds(30)).toBe(30_000);
    expect(retryAfterSeconds(1e10)).toBe(MAX_TIMER_MS);
    expect(retryAfterSeconds(Infinity)).toBe(MAX_TIMER_MS);
    expect(retryAfterSeconds(-1)).toBeNull();
    expect(retryAfterSeconds(Number.NaN)).toBeNull();
    expect(retryAfterSeconds('30')).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});
