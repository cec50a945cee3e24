/**
 * The outbox: credits stored on the kiosk until the server has them. Figures for the maintenance screen,
 * a preview of what is still owed, and a manual push (everything, or a time range).
 */
import { z } from 'zod';
import { command, technicianCommand } from './define.js';

export const OutboxAlarm = z.enum(['backlog', 'backlog_full', 'disk_low', 'write_failed', 'ack_write_failed', 'failed_records', 'corrupt_records']);

/** The hold switch for maintenance windows: while on, nothing is sent (credits are still stored); survives a restart. */
export const OutboxHold = z.object({
  on: z.boolean(),
  reason: z.string().nullable(),
  /** Epoch ms it was switched on; null while off. */
  since: z.number().nullable(),
});

/** One push pass: every manual push, and each automatic pass that sent something or failed. */
export const OutboxPushEntry = z.object({
  /** Epoch ms the pass ended. */
  at: z.number(),
  trigger: z.enum(['manual', 'automatic']),
  /** held = a manual push refused because the outbox was on hold. */
  result: z.enum(['ok', 'retryable', 'held']),
  attempted: z.number().int().nonnegative(),
  pushed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** A manual push's range (epoch ms), null when unbounded. */
  from: z.number().nullable(),
  to: z.number().nullable(),
  message: z.string().nullable(),
});

export const OutboxState = z.object({
  /** Records waiting to be delivered. */
  pending: z.number().int().nonnegative(),
  /** Records the server refused as invalid: kept, not retried automatically, pushable by hand. */
  failed: z.number().int().nonnegative(),
  /** Records acknowledged by the server since the outbox was created. */
  pushed: z.number().int().nonnegative(),
  /**
   * Journal lines found damaged at start-up (complete lines failing their checksum, committed bytes lost):
   * copied to <dataDir>/outbox/quarantine, never dropped silently. Records after a damaged line are kept.
   */
  damagedLines: z.number().int().nonnegative(),
  /** Estimate of the credits those lines held (from gaps in sequence numbers): not delivered unless recovered by hand. */
  damagedCredits: z.number().int().nonnegative(),
  /** Damage copies in the quarantine folder waiting for a technician; `corrupt_records` stays raised until they are moved away. */
  quarantined: z.number().int().nonnegative(),
  /** Records the server accepted whose ack could not be written (full disk): delivery is paused until it is. */
  ackPending: z.number().int().nonnegative(),
  /** The last failed write to the outbox (e.g. "ENOSPC: no space left on device"), until writes work again. */
  writeError: z.string().nullable(),
  /** `at` of the oldest record still owed. */
  oldestPendingAt: z.string().nullable(),
  /** Epoch ms. */
  lastPushAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  lastError: z.string().nullable(),
  /** Automatic attempts that failed in a row (0 once one succeeds). */
  failedAttempts: z.number().int().nonnegative(),
  /** Epoch ms of the next automatic attempt while backing off, else null. */
  nextAttemptAt: z.number().nullable(),
  flushing: z.boolean(),
  /** False until the server link has been wired to the outbox. */
  linkAttached: z.boolean(),
  freeBytes: z.number().nullable(),
  alarms: z.array(OutboxAlarm),
  /** Always sent by the core; optional only so older fixtures still type-check. */
  hold: OutboxHold.optional(),
});

/**
 * Epoch ms, or an ISO 8601 date-time with an offset or Z (e.g. the start of "today" in the machine's zone).
 * A date-time without an offset is refused: it would be read in whatever zone the process runs in, not
 * the machine's. Screens compute the bounds with domain/zoned-day.ts (`dayRange(day, machineZone)`).
 */
export const TimeBound = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]);

export const OutboxRange = z.object({
  /** Inclusive, compared with each record's `at`. */
  from: TimeBound.optional(),
  /** Exclusive. */
  to: TimeBound.optional(),
});

export const OutboxPreviewRecord = z.object({
  id: z.string(),
  sessionId: z.string(),
  material: z.string(),
  points: z.number(),
  weightGrams: z.number().nullable(),
  confidence: z.number(),
  at: z.string(),
  recordedAt: z.string(),
  hasImage: z.boolean(),
  status: z.enum(['pending', 'failed']),
  error: z.string().nullable(),
});

export const outboxCommands = {
  'outbox.status': command(z.object({}).strict(), OutboxState),
  'outbox.preview': technicianCommand(
    OutboxRange.extend({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    z.object({ total: z.number().int().nonnegative(), records: z.array(OutboxPreviewRecord) }),
  ),
  'outbox.push': technicianCommand(
    OutboxRange.strict(),
    z.object({
      outcome: z.enum(['ok', 'retryable']),
      attempted: z.number().int().nonnegative(),
      pushed: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      message: z.string().nullable(),
      state: OutboxState,
    }),
  ),
  'outbox.hold': technicianCommand(
    z.object({ on: z.boolean(), reason: z.string().max(200).optional() }).strict(),
    OutboxState,
  ),
  'outbox.history': technicianCommand(
    z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    z.object({ entries: z.array(OutboxPushEntry) }),
  ),
} as const;

export const outboxEvents = {
  'outbox.state': OutboxState,
} as const;
