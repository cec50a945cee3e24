/**
 * The one backoff vocabulary for every retry loop in the kiosk: the outbox, HTTP retries, the background
 * handshake, the realtime reconnect, the serial link, the camera restart and the renderer's socket.
 *
 * This file imports nothing, on purpose: the renderer imports it too, and the layer checker allows exactly
 * this core file there. Keep it dependency-free.
 *
 * Schedule: retry n waits up to c(n) = min(maxMs, firstMs × factor^(n−1)).
 *
 * Jitter, one strategy: "equal jitter", a delay drawn uniformly from [c/2, c].
 * - The fixed half is a floor: a dead server is never hammered. Full jitter ([0, c]) can draw ~0 ms again
 *   and again, which is how a fleet turns into a retry storm.
 * - The random half spreads a fleet of kiosks that lost the link together (a mobile mast or the server
 *   going down takes them all at once) over half the window. ±20 % would keep them bunched within 40 % of
 *   each other; no jitter keeps them in lockstep, all reconnecting in the same second.
 * - The cost, a mean wait of 3/4 of c, is what we want anyway while something is down.
 * `jitter: false` is for links with nobody else on the other end (the serial controller, the camera, the
 * renderer's socket to its own core): there is no fleet to spread, and a fixed schedule reads better in logs.
 *
 * Two more draws for calls that have not failed (yet): spreadDelay() for the first call after start or after
 * the link returns, jitteredPeriod() for periodic calls, so a fleet never calls in step (docs/performance.md,
 * "Fleet through an outage").
 *
 * Every delay that reaches a timer must fit setTimeout: past 2^31−1 ms Node (and browsers) fire after 1 ms
 * instead, which turns "wait a very long time" into "retry at once, forever". clampTimerMs guards that.
 */

/** The largest delay setTimeout honours (about 24.8 days); anything longer fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  firstMs: number;
  /** Growth per retry (≥ 1; a factor below 1 is treated as 1: a backoff never shrinks). */
  factor: number;
  /** Cap on every delay (itself capped at MAX_TIMER_MS). */
  maxMs: number;
  /** Equal jitter (the default) or none; see above for when to turn it off. */
  jitter?: boolean;
}

/** `ms` made safe for setTimeout: within [0, MAX_TIMER_MS]. NaN becomes 0, as setTimeout would treat it. */
export function clampTimerMs(ms: number): number {
  if (Number.isNaN(ms)) return 0;
  return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}

/**
 * Delay before retry number `attempt` (1 = the first retry), in whole ms, within [0, MAX_TIMER_MS].
 * Safe for any attempt number: a huge one (or Infinity) just gives the cap, never NaN or an overflow.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt) - 1) : attempt > 0 ? Infinity : 0;
  // firstMs ≤ 0 or factor ≤ 1 never grows; skipping the power also avoids 0 × ∞ and 1^∞, both NaN.
  const grown = policy.firstMs <= 0 || policy.factor <= 1 ? policy.firstMs : policy.firstMs * policy.factor ** exponent;
  const ceiling = clampTimerMs(Math.min(policy.maxMs, grown));
  if (policy.jitter === false) return Math.round(ceiling);
  const r = Math.min(1, Math.max(0, random() || 0));
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

/**
 * The first call of a background loop after start, or the first after the link came back: a delay drawn
 * uniformly from [0, windowMs]. A fleet starts together (power returns to a district) and sees the server
 * return together; without this every kiosk calls in the same second, and the backoff cannot help because
 * nothing has failed yet. Uniform, not equal jitter: nothing is down, so there is no floor to keep.
 */
export function spreadDelay(windowMs: number, random: () => number = Math.random): number {
  const r = Math.min(1, Math.max(0, random() || 0));
  return Math.round(r * clampTimerMs(windowMs));
}

/**
 * One period of a periodic call (a poll, a metrics round, a daily backup), jittered by ±`fraction` (default
 * 20 %) around `periodMs`: the mean stays the period, but kiosks that once called in step drift apart on
 * every round instead of staying in step for ever, as setInterval keeps them.
 */
export function jitteredPeriod(periodMs: number, random: () => number = Math.random, fraction = 0.2): number {
  const r = Math.min(1, Math.max(0, random() || 0));
  const f = Math.min(1, Math.max(0, fraction));
  return Math.round(clampTimerMs(periodMs * (1 - f + 2 * f * r)));
}

/** A backoff that counts its own failures: `next()` after each failure, `reset()` after a success. */
export class Backoff {
  private count = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Failures since the last reset. */
  get attempts(): number {
    return this.count;
  }

  /** Count one more failure and return the delay before the next try. */
  next(): number {
    if (this.count < Number.MAX_SAFE_INTEGER) this.count += 1;
    return backoffDelay(this.count, this.policy, this.random);
  }

  reset(): void {
    this.count = 0;
  }
}
