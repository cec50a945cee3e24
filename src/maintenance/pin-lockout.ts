/**
 * The technician keypad's own lockout: N wrong PINs within the window lock the keypad until the oldest of
 * them leaves the window; the server's 429 `retry_after` locks it too. Three properties matter:
 *
 * - **Counted before the PIN is sent.** An attempt is counted as failed (and written, fsynced) before the PIN
 *   goes out, and un-counted only when the server accepts it or provably never judged it. Pulling the plug
 *   mid-attempt costs a guess instead of granting a free one.
 * - **Device time, never server time.** Ages are measured on the process's monotonic clock. What is persisted
 *   is durations — how long each counted failure still stays in the window, how long an explicit lock still
 *   runs — plus the machine's uptime at the write. After a restart only time that provably passed is
 *   credited: the uptime difference within one boot, the uptime since boot after a reboot. Time the machine
 *   was off does not run a lock down; neither the server's clock nor the wall clock can.
 * - **Tamper-evident.** The state is written with an HMAC-SHA256 over it (key: lockout-key.ts). A file that
 *   is damaged, emptied, edited or signed with another key, or missing although the kiosk has written one
 *   before (remembered by a marker file in another directory), locks the keypad for one window — never resets
 *   it — and is logged once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import { fsyncDir, replaceFileAtomic, writeFileDurable } from '../storage/durable-fs.js';
import { systemDeviceClock, type DeviceClock } from './device-clock.js';

const log = createLogger('maintenance');
const MAC_CONTEXT = 'rvm-kiosk pin-lockout v2\n';

const Envelope = z.object({ v: z.literal(2), body: z.string(), mac: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
const Body = z
  .object({
    /** Per counted failure: how long it still stays in the window. */
    failuresLeftMs: z.array(z.number().nonnegative()).max(10_000),
    /** An explicit lock (server retry_after, tamper): how long it still runs. */
    lockLeftMs: z.number().nonnegative(),
    /** The machine's uptime when this was written, to credit time across a restart. */
    uptimeMs: z.number().nonnegative(),
  })
  .strict();
type Body = z.infer<typeof Body>;
/** The unsigned wall-clock format before v2; adopted only where no v2 file was ever written. */
const LegacyFile = z.object({ v: z.literal(1), failures: z.array(z.number()), lockedUntil: z.number().nullable() });

export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
}

export interface LockoutStatus {
  /** How much longer the keypad stays locked, on the device's own clock; null when it is open. */
  lockedForMs: number | null;
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

interface Failure {
  /** Monotonic ms at which it was counted. */
  at: number;
  token: number;
}

export class PinLockout {
  private nextToken = 1;

  private constructor(
    private readonly options: LockoutOptions,
    private readonly clock: DeviceClock,
    private failures: Failure[],
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
    const restored = restore(raw, written, key, policy, clock);
    const mono = clock.monotonicMs();
    let failures: Failure[] = restored.failuresLeftMs.map((left, k) => ({ at: mono - (policy.windowMs - left), token: -1 - k }));
    let lockUntil = restored.lockLeftMs > 0 ? mono + restored.lockLeftMs : 0;
    if (restored.tampered) {
      // Once: the state written now carries the lock, so the next start reads a good file.
      log.error('PIN lockout state failed its check; locking the keypad for one window', { file, reason: restored.tampered });
      failures = [];
      lockUntil = mono + policy.windowMs;
    }
    const lockout = new PinLockout(options, clock, failures, lockUntil);
    if (!written) {
      await writeFileDurable(marker, 'The kiosk keeps its PIN lockout in maintenance/pin-lockout.json; without that file it stays locked.\n');
      await fsyncDir(path.dirname(marker));
    }
    await lockout.save(); // in the current format, signed, with the time credited so far
    return lockout;
  }

  status(): LockoutStatus {
    const now = this.clock.monotonicMs();
    const { maxFailures, windowMs } = this.options.policy;
    const recent = this.recentFailures(now);
    const countLock = recent.length >= maxFailures ? recent[recent.length - maxFailures]!.at + windowMs : 0;
    const until = Math.max(countLock, this.lockUntil);
    const lockedForMs = until > now ? Math.ceil(until - now) : null;
    return { lockedForMs, remainingAttempts: lockedForMs !== null ? 0 : Math.max(0, maxFailures - recent.length) };
  }

  /** Count a failure in advance; refuses (without counting) while locked. */
  async beginAttempt(): Promise<{ allowed: true; token: number } | { allowed: false; lockedForMs: number }> {
    const status = this.status();
    if (status.lockedForMs !== null) return { allowed: false, lockedForMs: status.lockedForMs };
    const token = this.nextToken++;
    const before = this.failures;
    this.failures = [...this.recentFailures(this.clock.monotonicMs()), { at: this.clock.monotonicMs(), token }];
    await this.save().catch((err: unknown) => {
      this.failures = before; // not on disk, so not sent either: the caller sees the error
      throw err;
    });
    return { allowed: true, token };
  }

  /** The server accepted the PIN: the counter starts over (as the server's does). */
  async succeeded(): Promise<void> {
    this.failures = [];
    this.lockUntil = 0;
    await this.save();
  }

  /** The server never judged the PIN: take back the failure counted in advance. */
  async notJudged(token: number): Promise<void> {
    this.failures = this.failures.filter((f) => f.token !== token);
    await this.save();
  }

  /** The server says it is locked for `retryAfterSec`: never unlock before it does. */
  async lockedByServer(retryAfterSec: number): Promise<void> {
    this.lockUntil = Math.max(this.lockUntil, this.clock.monotonicMs() + Math.ceil(retryAfterSec) * 1000);
    await this.save();
  }

  private recentFailures(now: number): Failure[] {
    return this.failures.filter((f) => now - f.at < this.options.policy.windowMs).sort((a, b) => a.at - b.at);
  }

  private async save(): Promise<void> {
    const now = this.clock.monotonicMs();
    const { windowMs } = this.options.policy;
    const body: Body = {
      failuresLeftMs: this.recentFailures(now).map((f) => Math.ceil(windowMs - (now - f.at))),
      lockLeftMs: Math.max(0, Math.ceil(this.lockUntil - now)),
      uptimeMs: this.clock.uptimeMs(),
    };
    const text = JSON.stringify(body);
    await replaceFileAtomic(this.options.file, JSON.stringify({ v: 2, body: text, mac: mac(this.options.key, text) }));
  }
}

interface Restored {
  failuresLeftMs: number[];
  lockLeftMs: number;
  /** Why the state cannot be trusted, or null. */
  tampered: string | null;
}

class Unreadable {
  constructor(readonly code: string) {}
}

function restore(raw: string | Unreadable | null, written: boolean, key: Buffer, policy: LockoutPolicy, clock: DeviceClock): Restored {
  const clean: Restored = { failuresLeftMs: [], lockLeftMs: 0, tampered: null };
  if (raw === null) return written ? { ...clean, tampered: 'the file is missing, but the kiosk has written it before' } : clean;
  if (raw instanceof Unreadable) return { ...clean, tampered: `the file cannot be read (${raw.code})` };
  const json = safeJson(raw);
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) {
    const legacy = LegacyFile.safeParse(json);
    if (legacy.success && !written) return adoptLegacy(legacy.data, policy);
    return { ...clean, tampered: raw.trim() === '' ? 'the file is empty' : 'the file is damaged or in an unknown form' };
  }
  const expected = Buffer.from(mac(key, envelope.data.body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(envelope.data.mac, 'hex'))) {
    return { ...clean, tampered: 'the MAC does not match (the file was edited, or the machine credentials or key file changed)' };
  }
  const body = Body.safeParse(safeJson(envelope.data.body));
  if (!body.success) return { ...clean, tampered: 'the signed state is malformed' };
  const elapsed = creditedMs(body.data.uptimeMs, clock.uptimeMs());
  return {
    failuresLeftMs: body.data.failuresLeftMs.map((left) => Math.min(left, policy.windowMs) - elapsed).filter((left) => left > 0),
    lockLeftMs: Math.max(0, body.data.lockLeftMs - elapsed),
    tampered: null,
  };
}

/**
 * Time that provably passed since a write made at machine uptime `then`: within one boot the difference;
 * after a reboot (uptime went down) the uptime since boot, since the write came before the boot. A lower bound
 * either way, so a restart never runs a lock down faster than real time. Whole seconds only, rounded down, as
 * uptime may have one-second resolution.
 */
function creditedMs(then: number, now: number): number {
  const elapsed = now >= then ? now - then : now;
  return Math.max(0, Math.floor(elapsed / 1000) * 1000 - 1000);
}

/** The v1 file held wall-clock (server-time) stamps; take what is left of them on the device clock. */
function adoptLegacy(legacy: z.infer<typeof LegacyFile>, policy: LockoutPolicy): Restored {
  const wall = Date.now();
  const leftOf = (at: number) => Math.min(policy.windowMs, policy.windowMs - (wall - at));
  log.info('adopted the PIN lockout from its earlier unsigned form');
  return {
    failuresLeftMs: legacy.failures.map(leftOf).filter((left) => left > 0),
    lockLeftMs: legacy.lockedUntil === null ? 0 : Math.max(0, legacy.lockedUntil - wall),
    tampered: null,
  };
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(MAC_CONTEXT).update(body).digest('hex');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
