/**
 * How long to wait before bringing a crashed renderer back. The first few crashes within the window are
 * recovered at once (a customer is probably standing there); a page that keeps crashing is retried with a
 * doubling delay instead of pinning the CPU in a reload loop — but never given up on: it is a kiosk.
 */
export interface CrashLoopPolicy {
  /** Crashes older than this are forgotten. */
  windowMs: number;
  /** This many crashes within the window are reloaded without delay. */
  immediateRestarts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CRASH_LOOP_POLICY: CrashLoopPolicy = {
  windowMs: 10 * 60_000,
  immediateRestarts: 3,
  baseDelayMs: 5_000,
  maxDelayMs: 5 * 60_000,
};

export class CrashLoopGuard {
  private crashes: number[] = [];

  constructor(
    private readonly policy: CrashLoopPolicy = DEFAULT_CRASH_LOOP_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash and returns the delay before the next restart. */
  recordCrash(): number {
    const at = this.now();
    this.crashes = this.crashes.filter((t) => at - t < this.policy.windowMs);
    this.crashes.push(at);
    const beyond = this.crashes.length - this.policy.immediateRestarts;
    if (beyond <= 0) return 0;
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (beyond - 1));
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }
}
