/**
 * Laravel's RateLimiter as the simulator needs it: a fixed window that opens at the first hit (decay in
 * seconds) and a counter. Used for the kiosk group's `throttle:60,1` and the PIN lockout (5 per 3600 s).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private bucket(key: string): { count: number; resetAt: number } | undefined {
    const b = this.buckets.get(key);
    if (b && b.resetAt <= this.now()) {
      this.buckets.delete(key);
      return undefined;
    }
    return b;
  }

  attempts(key: string): number {
    return this.bucket(key)?.count ?? 0;
  }

  tooManyAttempts(key: string, max: number): boolean {
    return this.attempts(key) >= max;
  }

  hit(key: string, decaySeconds: number): number {
    const b = this.bucket(key) ?? { count: 0, resetAt: this.now() + decaySeconds * 1_000 };
    b.count += 1;
    this.buckets.set(key, b);
    return b.count;
  }

  /** Seconds until the window for `key` reopens (at least 1 while it is closed). */
  availableIn(key: string): number {
    const b = this.bucket(key);
    return b ? Math.max(1, Math.ceil((b.resetAt - this.now()) / 1_000)) : 0;
  }

  clear(key: string): void {
    this.buckets.delete(key);
  }
}
