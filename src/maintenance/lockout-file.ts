/**
 * The PIN lockout's file: its signed form, and what a start may believe of it.
 *
 * What is stored is durations, never dates: how many wrong PINs in a row, how long ago the newest of them was,
 * how long an explicit lock still runs, and the machine's uptime at the write. At the next start only time that
 * provably passed is credited (creditedMs). The content carries an HMAC-SHA256 (key: lockout-key.ts); anything
 * that does not verify is reported as tampered, and the caller then assumes the worst instead of a clean slate.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';

const log = createLogger('maintenance');
const MAC_CONTEXT = 'rvm-kiosk pin-lockout v3\n';
/** The sliding-window form before the growing waits; adopted once, its count kept. */
const MAC_CONTEXT_V2 = 'rvm-kiosk pin-lockout v2\n';

const Envelope = z.object({ v: z.union([z.literal(2), z.literal(3)]), body: z.string(), mac: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
const Body = z
  .object({
    /** Wrong PINs in a row (counted before each PIN went out). */
    failures: z.number().int().nonnegative().max(1_000_000),
    /** How long ago the newest of them was, at the write. */
    lastAgeMs: z.number().nonnegative(),
    /** An explicit lock (the server's retry_after): how long it still runs. */
    lockLeftMs: z.number().nonnegative(),
    /** The machine's uptime when this was written, to credit time across a restart. */
    uptimeMs: z.number().nonnegative(),
  })
  .strict();
const BodyV2 = z.object({ failuresLeftMs: z.array(z.number().nonnegative()).max(10_000), lockLeftMs: z.number().nonnegative(), uptimeMs: z.number().nonnegative() }).strict();
/** The unsigned wall-clock form before v2; adopted only where no signed file was ever written. */
const LegacyFile = z.object({ v: z.literal(1), failures: z.array(z.number()), lockedUntil: z.number().nullable() });

export interface StoredLockout {
  failures: number;
  /** Age of the newest wrong PIN (meaningless when failures is 0). */
  lastAgeMs: number;
  lockLeftMs: number;
}

export interface Restored extends StoredLockout {
  /** Why the file cannot be trusted, or null. */
  tampered: string | null;
}

export class Unreadable {
  constructor(readonly code: string) {}
}

/** The file's text for a state, signed. */
export function seal(key: Buffer, state: StoredLockout, uptimeMs: number): string {
  const body = JSON.stringify({ failures: state.failures, lastAgeMs: Math.max(0, Math.floor(state.lastAgeMs)), lockLeftMs: Math.max(0, Math.ceil(state.lockLeftMs)), uptimeMs } satisfies z.infer<typeof Body>);
  return JSON.stringify({ v: 3, body, mac: mac(key, MAC_CONTEXT, body) });
}

/**
 * What the file says, with the time that provably passed since its write credited. `raw` null: no file;
 * `written`: the marker says the kiosk wrote one before.
 */
export function restore(raw: string | Unreadable | null, written: boolean, key: Buffer, uptimeNowMs: number): Restored {
  const clean: Restored = { failures: 0, lastAgeMs: 0, lockLeftMs: 0, tampered: null };
  if (raw === null) return written ? { ...clean, tampered: 'the file is missing, but the kiosk has written it before' } : clean;
  if (raw instanceof Unreadable) return { ...clean, tampered: `the file cannot be read (${raw.code})` };
  const json = safeJson(raw);
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) {
    const legacy = LegacyFile.safeParse(json);
    if (legacy.success && !written) return adoptLegacy(legacy.data);
    return { ...clean, tampered: raw.trim() === '' ? 'the file is empty' : 'the file is damaged or in an unknown form' };
  }
  const { v, body: text } = envelope.data;
  const expected = Buffer.from(mac(key, v === 3 ? MAC_CONTEXT : MAC_CONTEXT_V2, text), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(envelope.data.mac, 'hex'))) {
    return { ...clean, tampered: 'the MAC does not match (the file was edited, or the machine credentials or key file changed)' };
  }
  const state = v === 3 ? Body.safeParse(safeJson(text)) : adoptV2(safeJson(text));
  if (!state.success) return { ...clean, tampered: 'the signed state is malformed' };
  const elapsed = creditedMs(state.data.uptimeMs, uptimeNowMs);
  return { failures: state.data.failures, lastAgeMs: state.data.lastAgeMs + elapsed, lockLeftMs: Math.max(0, state.data.lockLeftMs - elapsed), tampered: null };
}

/**
 * Time that provably passed since a write made at machine uptime `then`: within one boot the difference;
 * after a reboot (uptime went down) the uptime since boot, since the write came before the boot. A lower bound
 * either way, so a restart never runs a wait down faster than real time. Whole seconds only, rounded down, as
 * uptime may have one-second resolution.
 */
export function creditedMs(then: number, now: number): number {
  const elapsed = now >= then ? now - then : now;
  return Math.max(0, Math.floor(elapsed / 1000) * 1000 - 1000);
}

/**
 * The v2 file listed each failure still inside a one-hour window. Its count carries over; the newest is taken
 * as just made (its exact age depended on the old window), so the first wait after an upgrade is whole.
 */
function adoptV2(json: unknown): { success: true; data: z.infer<typeof Body> } | { success: false } {
  const old = BodyV2.safeParse(json);
  if (!old.success) return { success: false };
  log.info('adopted the PIN lockout from its sliding-window form');
  return { success: true, data: { failures: old.data.failuresLeftMs.length, lastAgeMs: 0, lockLeftMs: old.data.lockLeftMs, uptimeMs: old.data.uptimeMs } };
}

/** The v1 file held wall-clock (server-time) stamps; keep the ones of the last day, aged on the wall clock. */
function adoptLegacy(legacy: z.infer<typeof LegacyFile>): Restored {
  const wall = Date.now();
  const recent = legacy.failures.filter((at) => wall - at < 86_400_000);
  log.info('adopted the PIN lockout from its earlier unsigned form');
  return {
    failures: recent.length,
    lastAgeMs: recent.length > 0 ? Math.max(0, wall - Math.max(...recent)) : 0,
    lockLeftMs: legacy.lockedUntil === null ? 0 : Math.max(0, legacy.lockedUntil - wall),
    tampered: null,
  };
}

function mac(key: Buffer, context: string, body: string): string {
  return createHmac('sha256', key).update(context).update(body).digest('hex');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
