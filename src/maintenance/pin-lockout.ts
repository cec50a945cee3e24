/**
 * The technician keypad's own lockout, kept on disk so a restart or a power cycle cannot reset it: N wrong
 * PINs within the window lock the keypad until the oldest of them leaves the window; the server's 429
 * `retry_after` extends the lock. Every change is written atomically and fsynced before it takes effect.
 *
 * An attempt is counted as failed BEFORE the PIN is sent, and un-counted only when the server answers
 * (success) or provably never judged it (unreachable). Pulling the plug mid-attempt therefore costs a
 * guess instead of granting a free one.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import { replaceFileAtomic } from '../storage/durable-fs.js';

const log = createLogger('maintenance');

const LockoutFile = z.object({
  v: z.literal(1),
  failures: z.array(z.number()),
  lockedUntil: z.number().nullable(),
});
type LockoutData = z.infer<typeof LockoutFile>;

export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
}

export interface LockoutStatus {
  lockedUntil: number | null;
  remainingAttempts: number;
}

export class PinLockout {
  private constructor(
    private readonly file: string,
    private data: LockoutData,
    private readonly policy: LockoutPolicy,
    private readonly now: () => number,
  ) {}

  static async open(file: string, policy: LockoutPolicy, now: () => number = Date.now): Promise<PinLockout> {
    let data: LockoutData = { v: 1, failures: [], lockedUntil: null };
    const raw = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : ''));
    if (raw !== null) {
      const parsed = LockoutFile.safeParse(safeJson(raw));
      if (parsed.success) data = parsed.data;
      else {
        // Unreadable state must not become a free reset: lock for one window, and say so.
        log.error('PIN lockout file is damaged; locking the keypad for one window', { file });
        data = { v: 1, failures: [], lockedUntil: now() + policy.windowMs };
      }
    }
    return new PinLockout(file, data, policy, now);
  }

  status(): LockoutStatus {
    const now = this.now();
    const recent = this.recentFailures(now);
    const countLock = recent.length >= this.policy.maxFailures ? recent[recent.length - this.policy.maxFailures]! + this.policy.windowMs : null;
    const until = Math.max(countLock ?? 0, this.data.lockedUntil ?? 0);
    const lockedUntil = until > now ? until : null;
    return { lockedUntil, remainingAttempts: lockedUntil ? 0 : this.policy.maxFailures - recent.length };
  }

  /** Count a failure in advance; refuses (without counting) while locked. */
  async beginAttempt(): Promise<{ allowed: true; token: number } | { allowed: false; lockedUntil: number }> {
    const status = this.status();
    if (status.lockedUntil !== null) return { allowed: false, lockedUntil: status.lockedUntil };
    const token = this.now();
    await this.save({ ...this.data, failures: [...this.recentFailures(token), token] });
    return { allowed: true, token };
  }

  /** The server accepted the PIN: the counter starts over (as the server's does). */
  async succeeded(): Promise<void> {
    await this.save({ v: 1, failures: [], lockedUntil: null });
  }

  /** The server never judged the PIN: take back the failure counted in advance. */
  async notJudged(token: number): Promise<void> {
    const failures = [...this.data.failures];
    const at = failures.lastIndexOf(token);
    if (at >= 0) failures.splice(at, 1);
    await this.save({ ...this.data, failures });
  }

  /** The server says it is locked for `retryAfterSec`: never unlock before it does. */
  async lockedByServer(retryAfterSec: number): Promise<void> {
    const until = this.now() + Math.ceil(retryAfterSec) * 1000;
    await this.save({ ...this.data, lockedUntil: Math.max(until, this.data.lockedUntil ?? 0) });
  }

  private recentFailures(now: number): number[] {
    return this.data.failures.filter((t) => now - t < this.policy.windowMs).sort((a, b) => a - b);
  }

  private async save(next: LockoutData): Promise<void> {
    await replaceFileAtomic(this.file, JSON.stringify(next));
    this.data = next;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
