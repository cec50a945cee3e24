/**
 * The technician keypad's own lockout: after a few free wrong PINs each further attempt waits, the waits
 * doubling up to a cap (lockout-schedule.ts); the run is forgotten after a quiet period or a correct PIN. The
 * server's 429 `retry_after` locks the keypad too. Four properties matter:
 *
 * - **Nobody locks the technician out for long.** The longest wait is the cap (15 min by default), however many
 *   wrong PINs a passer-by typed; a few wrong PINs cost nothing at all.
 * - **Counted before the PIN is sent.** An attempt is counted as failed (and written, fsynced) before the PIN
 *   goes out, and un-counted only when the server accepts it or provably never judged it. Pulling the plug
 *   mid-attempt costs a guess instead of granting a free one.
 * - **Device time, never server time.** Ages are measured on the process's monotonic clock. What is persisted
 *   is durations (lockout-file.ts) plus the machine's uptime at the write; after a restart only time that
 *   provably passed is credited. Neither the server's clock nor the wall clock can run a wait down.
 * - **Tamper-evident.** The state is signed (HMAC-SHA256, key: lockout-key.ts). A file that is damaged, emptied,
 *   edited or signed with another key, or missing although the kiosk has written one before (remembered by a
 *   marker file in another directory), is taken as the worst case — a run long enough for the capped wait,
 *   starting now — never as a reset, and is logged once.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { fsyncDir, replaceFileAtomic, writeFileDurable } from '../storage/durable-fs.js';
import { systemDeviceClock, type DeviceClock } from './device-clock.js';
import { restore, seal, Unreadable } from './lockout-file.js';
import { cappedRun, waitAfter, type LockoutPolicy } from './lockout-schedule.js';

export type { LockoutPolicy } from './lockout-schedule.js';

const log = createLogger('maintenance');

export interface LockoutStatus {
  /** How much longer the keypad stays locked, on the device's own clock; null when it is open. */
  lockedForMs: number | null;
  /** Attempts before the keypad makes the next one wait (0 while it waits). */
  remainingAttempts: number;
}

export interface LockoutOptions {
  /** The state: `<dataDir>/maintenance/pin-lockout.json`. */
  file: string;
  /** The second place that remembers the state was ever written (another directory than `file`'s). */
  marker: string;
  /** The MAC key (lockout-key.ts). */
  key: Buffer;
  policy: LockoutPolicy;
  clock?: DeviceClock;
}

/** The run of wrong PINs: how many, and when the newest was (monotonic ms). */
interface Run {
  failures: number;
  lastAt: number;
}

export class PinLockout {
  private nextToken = 1;
  /** The attempt counted in advance and not judged yet, with the run as it was before it. */
  private pending: { token: number; before: Run } | null = null;

  private constructor(
    private readonly options: LockoutOptions,
    private readonly clock: DeviceClock,
    private run: Run,
    /** Monotonic ms until which an explicit lock holds (0: none). */
    private lockUntil: number,
  ) {}

  static async open(options: LockoutOptions): Promise<PinLockout> {
    const { file, marker, key, policy } = options;
    const clock = options.clock ?? systemDeviceClock;
    const raw = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : new Unreadable(err.code ?? 'read error')));
    // Only "not there" means never written; a marker we cannot look at counts as there.
    const written = await stat(marker).then(
      () => true,
      (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
    );
    const restored = restore(raw, written, key, clock.uptimeMs());
    const mono = clock.monotonicMs();
    let run: Run = { failures: restored.failures, lastAt: mono - restored.lastAgeMs };
    if (restored.tampered) {
      // Once: the state written now carries the worst case, so the next start reads a good file.
      log.error('PIN lockout state failed its check; locking the keypad for the longest wait', { file, reason: restored.tampered });
      run = { failures: Math.max(restored.failures, cappedRun(policy)), lastAt: mono };
    }
    const lockUntil = restored.lockLeftMs > 0 ? mono + restored.lockLeftMs : 0;
    const lockout = new PinLockout(options, clock, run, lockUntil);
    if (!written) {
      await writeFileDurable(marker, 'The kiosk keeps its PIN lockout in maintenance/pin-lockout.json; without that file it stays locked.\n');
      await fsyncDir(path.dirname(marker));
    }
    await lockout.save(); // in the current format, signed, with the time credited so far
    return lockout;
  }

  status(): LockoutStatus {
    const now = this.clock.monotonicMs();
    const { failures, lastAt } = this.current(now);
    const until = Math.max(lastAt + waitAfter(failures, this.options.policy), this.lockUntil);
    const lockedForMs = until > now ? Math.ceil(until - now) : null;
    return { lockedForMs, remainingAttempts: lockedForMs !== null ? 0 : Math.max(1, this.options.policy.maxFailures - failures) };
  }

  /** Count a failure in advance; refuses (without counting) while locked. */
  async beginAttempt(): Promise<{ allowed: true; token: number } | { allowed: false; lockedForMs: number }> {
    const status = this.status();
    if (status.lockedForMs !== null) return { allowed: false, lockedForMs: status.lockedForMs };
    const now = this.clock.monotonicMs();
    const token = this.nextToken++;
    const before = this.current(now);
    this.run = { failures: before.failures + 1, lastAt: now };
    await this.save().catch((err: unknown) => {
      this.run = before; // not on disk, so not sent either: the caller sees the error
      throw err;
    });
    this.pending = { token, before };
    return { allowed: true, token };
  }

  /** The server accepted the PIN: the run starts over (as the server's count does). */
  async succeeded(): Promise<void> {
    this.run = { failures: 0, lastAt: this.clock.monotonicMs() };
    this.lockUntil = 0;
    this.pending = null;
    await this.save();
  }

  /** The server never judged the PIN: take back the failure counted in advance. */
  async notJudged(token: number): Promise<void> {
    if (this.pending?.token !== token) return; // attempts run one at a time, so only the latest can be taken back
    this.run = this.pending.before;
    this.pending = null;
    await this.save();
  }

  /** The server says it is locked for `retryAfterSec`: never unlock before it does. */
  async lockedByServer(retryAfterSec: number): Promise<void> {
    this.lockUntil = Math.max(this.lockUntil, this.clock.monotonicMs() + Math.ceil(retryAfterSec) * 1000);
    await this.save();
  }

  /** The run as it stands at `now`: forgotten once the quiet period has passed since its newest wrong PIN. */
  private current(now: number): Run {
    return this.run.failures > 0 && now - this.run.lastAt >= this.options.policy.windowMs ? { failures: 0, lastAt: now } : this.run;
  }

  private async save(): Promise<void> {
    const now = this.clock.monotonicMs();
    const run = this.current(now);
    const text = seal(this.options.key, { failures: run.failures, lastAgeMs: now - run.lastAt, lockLeftMs: this.lockUntil - now }, this.clock.uptimeMs());
    await replaceFileAtomic(this.options.file, text);
  }
}
