import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideRetry, defaultRetryPolicy, isRetryableStatus, parseRetryAfter } from '../../src/server/retry.js';

const mid = () => 0.5;

describe('retry policy', () => {
  it('doubles from 1 s by default and stops at the 60 s cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, defaultRetryPolicy, mid));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('jitters within ±20 % and never past the cap', () => {
    expect(backoffDelayMs(1, defaultRetryPolicy, () => 0)).toBe(800);
    expect(backoffDelayMs(1, defaultRetryPolicy, () => 1)).toBe(1_200);
    expect(backoffDelayMs(7, defaultRetryPolicy, () => 1)).toBe(60_000);
  });

  it('retries network errors, 429 and 500/502/503/504 only', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 413, 422, 501]) expect(isRetryableStatus(s)).toBe(false);
    expect(decideRetry(1, null, null, defaultRetryPolicy, mid)).toEqual({ retry: true, delayMs: 1_000 });
    expect(decideRetry(1, 422, null, defaultRetryPolicy, mid)).toEqual({ retry: false });
    expect(decideRetry(1, 401, 5_000, defaultRetryPolicy, mid)).toEqual({ retry: false });
  });

  it('gives up after the configured number of attempts', () => {
    expect(decideRetry(2, 503, null, defaultRetryPolicy, mid)).toEqual({ retry: true, delayMs: 2_000 });
    expect(decideRetry(3, 503, null, defaultRetryPolicy, mid)).toEqual({ retry: false });
  });

  it('lets Retry-After win over the backoff, and ends the call when it is longer than the cap', () => {
    expect(decideRetry(1, 429, 7_000, defaultRetryPolicy, mid)).toEqual({ retry: true, delayMs: 7_000 });
    expect(decideRetry(1, 429, 3_600_000, defaultRetryPolicy, mid)).toEqual({ retry: false });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-31T03:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Sat, 31 Jan 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
