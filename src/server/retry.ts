/**
 * The HTTP-specific half of retrying a call: which failures a retry can fix, how to read a server's
 * `Retry-After`, and the per-call decision. Pure functions, so the schedule can be tested by itself and the
 * client can take an injected sleep. Retry only what a retry can fix: network errors, timeouts, 429 and
 * 500/502/503/504. Any other 4xx is the request's own fault and is never repeated. The delay schedule itself
 * is the kiosk-wide one in core/backoff.ts.
 */
import { backoffDelay, clampTimerMs, type BackoffPolicy } from '../core/backoff.js';

/**
 * Per-call retry: the `server.retry` configuration section as it is (its key names are kept so existing
 * rvm-kiosk.json files keep working; retryBackoff() maps them onto the common BackoffPolicy).
 */
export interface RetryPolicy {
  attempts: number;
  factor: number;
  firstDelayMs: number;
  capMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 3, factor: 2, firstDelayMs: 1_000, capMs: 60_000 };

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** The delay schedule of a RetryPolicy in the common vocabulary (equal jitter, see core/backoff.ts). */
export function retryBackoff(policy: RetryPolicy): BackoffPolicy {
  return { firstMs: policy.firstDelayMs, factor: policy.factor, maxMs: policy.capMs };
}

/**
 * `Retry-After` as delta-seconds or an HTTP date; null when absent or unreadable. The result always fits a
 * timer (at most MAX_TIMER_MS): a hostile or buggy "Retry-After: 99999999999" must not overflow into a 1 ms
 * timer. Capping it to something sensible is each caller's business (the outbox caps at
 * `outbox.maxServerDelayMs`; decideRetry gives up past the policy's cap).
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return retryAfterSeconds(Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : clampTimerMs(at - now);
}

/** A `retry_after` in seconds from a reply body, bounded like parseRetryAfter; null when not a usable number. */
export function retryAfterSeconds(seconds: unknown): number | null {
  if (typeof seconds !== 'number' || Number.isNaN(seconds) || seconds < 0) return null;
  return clampTimerMs(seconds * 1_000);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * After attempt number `attempt` (1-based) failed with `status` (null = network error or timeout): retry or
 * not, and after how long. A server's Retry-After wins over our own backoff; one longer than the cap ends
 * the call instead, and the caller gets the hint to schedule its own later try.
 */
export function decideRetry(
  attempt: number,
  status: number | null,
  retryAfterMs: number | null,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt >= policy.attempts) return { retry: false };
  if (status !== null && !isRetryableStatus(status)) return { retry: false };
  if (retryAfterMs !== null) return retryAfterMs <= policy.capMs ? { retry: true, delayMs: clampTimerMs(retryAfterMs) } : { retry: false };
  return { retry: true, delayMs: backoffDelay(attempt, retryBackoff(policy), random) };
}
