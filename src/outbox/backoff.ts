/**
 * Exponential backoff with "equal jitter": half of each delay is fixed, half random. The fixed half keeps a
 * dead server from being hammered; the random half keeps a fleet of kiosks that lost the link together
 * from all coming back in the same second.
 */
export interface BackoffPolicy {
  firstMs: number;
  factor: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (1 = first retry). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxMs, policy.firstMs * policy.factor ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
