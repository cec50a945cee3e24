/**
 * When and how long to wait before trying a call again. Pure functions, so the schedule can be tested by
 * itself and the client can take an injected sleep. Retry only what a retry can fix: network errors,
 * timeouts, 429 and 500/502/503/504. Any other 4xx is the request's own fault and is never repeated.
 */
export interface RetryPolicy {
  attempts: number;
  factor: number;
  firstDelayMs: number;
  capMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 3, factor: 2, firstDelayMs: 1_000, capMs: 60_000 };

/** ±20 %: enough to spread a fleet of kiosks that lost the server at the same moment. */
const JITTER = 0.2;

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Delay before retry number `retry` (1 = the first retry): first × factor^(retry−1), jittered, capped. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.capMs, policy.firstDelayMs * policy.factor ** Math.max(0, retry - 1));
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(policy.capMs, jittered));
}

/** `Retry-After` as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
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
  if (retryAfterMs !== null) return retryAfterMs <= policy.capMs ? { retry: true, delayMs: retryAfterMs } : { retry: false };
  return { retry: true, delayMs: backoffDelayMs(attempt, policy, random) };
}
