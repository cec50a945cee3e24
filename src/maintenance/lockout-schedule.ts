/**
 * How long the keypad makes the next PIN attempt wait, from the number of wrong PINs in a row.
 *
 * The rule has to serve two people at once. A passer-by who pokes at the keypad must not be able to lock the
 * technician out for long: the first wrong PINs cost nothing, then each wait is short and the longest is
 * capped. Someone guessing on purpose must not get anywhere: past the free attempts the waits double up to
 * the cap, and the run of wrong PINs is forgotten only after a quiet period long enough that waiting for it is
 * slower than guessing at the cap. With the defaults (3 free, 30 s doubling to 15 min, forgotten after 2 h)
 * that is at most 96 guesses a day — about 14 years on average to find a 6-digit PIN (docs/maintenance.md).
 */

export interface LockoutPolicy {
  /** Wrong PINs in a row that cost nothing; the next one after them has to wait. */
  maxFailures: number;
  /** The wait after the `maxFailures`-th wrong PIN in a row; each further wrong PIN doubles it. */
  firstDelayMs: number;
  /** The longest wait, however many wrong PINs came before: the most a passer-by can cost a technician. */
  maxDelayMs: number;
  /** A run of wrong PINs is forgotten once this long passes without another one. */
  windowMs: number;
}

/** The wait that follows the `failures`-th wrong PIN in a row (0 while attempts are still free). */
export function waitAfter(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = failures - policy.maxFailures;
  // 2^doublings overflows to Infinity long after it passed the cap, which min() handles.
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** doublings);
}

/** The smallest run of wrong PINs whose wait is the cap: what a lockout file that cannot be trusted is taken to hold. */
export function cappedRun(policy: LockoutPolicy): number {
  const doublings = Math.max(0, Math.ceil(Math.log2(policy.maxDelayMs / policy.firstDelayMs)));
  return policy.maxFailures + doublings;
}

/**
 * The most guesses per day a patient attacker gets, whatever they do: guessing as fast as allowed tends to one
 * guess per `maxDelayMs`; waiting out the quiet period to get the free attempts back must not be faster, which
 * holds when (free attempts + ramp) per (ramp + quiet period) stays below the cap's rate. Returns the better of
 * the two strategies for the attacker, so the figure in the docs is an upper bound.
 */
export function maxGuessesPerDay(policy: LockoutPolicy): number {
  const day = 86_400_000;
  const steady = day / policy.maxDelayMs;
  let best = steady;
  let rampMs = 0;
  // A cycle: the free attempts, k waited ones, then the quiet period so the run is forgotten.
  for (let k = 0; k <= 64; k += 1) {
    if (k > 0) rampMs += waitAfter(policy.maxFailures + k - 1, policy);
    const cycleMs = rampMs + Math.max(policy.windowMs, waitAfter(policy.maxFailures + k, policy));
    best = Math.max(best, ((policy.maxFailures + k) * day) / cycleMs);
  }
  return best;
}
