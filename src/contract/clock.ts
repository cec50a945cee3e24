/**
 * The clock's time-zone sync as the technician sees it: the figures the design asks for (success and failure
 * counts, success rate, last sync, which spelling of the endpoint answers, what the server keeps for this
 * device) and the manual "Sync timezone" command. The figures ride in `clock.state.sync.timezoneSync`.
 */
import { z } from 'zod';
import { technicianCommand } from './define.js';

/** unknown: not tried yet; available: the server answered; absent: neither spelling exists (today's MyRVM-Server). */
export const TimezoneSyncAvailability = z.enum(['unknown', 'available', 'absent']);

/** What one sync attempt came to, as a code the UI translates. */
export const TimezoneSyncOutcome = z.enum(['synced', 'failed', 'unsupported', 'too_soon', 'unconfigured']);

export const TimezoneSyncFigures = z.object({
  availability: TimezoneSyncAvailability,
  /** The spelling that answered last (`timezone/sync` or `timezone-sync`), remembered across restarts. */
  spelling: z.enum(['slash', 'dash']).nullable(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  /** successes / (successes + failures), null before the first attempt. */
  successRate: z.number().min(0).max(1).nullable(),
  lastSyncAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  lastResult: z.enum(['synced', 'failed']).nullable(),
  /** Why the last attempt failed, as a code: network, timeout, http_<status>, invalid_reply. */
  lastError: z.string().nullable(),
  lastMethod: z.enum(['automatic', 'manual']).nullable(),
  /** Where the zone is, as sent to the server (a table for Indonesian zones, the system's zone.tab for others). */
  country: z.string().nullable(),
  city: z.string().nullable(),
  /** The status endpoint's view of this device, read after each successful sync. */
  server: z
    .object({ timezone: z.string().nullable(), lastSyncAt: z.string().nullable(), syncCount: z.number().int().nullable(), readAt: z.number() })
    .nullable(),
  /** When the next automatic sync is due (null: none planned, e.g. the server has no such endpoint). */
  nextAutoAt: z.number().nullable(),
});

export const TimezoneSyncReply = z.object({
  outcome: TimezoneSyncOutcome,
  timezone: z.string().nullable(),
  /** too_soon: how long until the once-a-minute limit allows the next sync. */
  retryInMs: z.number().int().nonnegative().nullable(),
  /** failed: the error code (as `lastError`). */
  reason: z.string().nullable(),
  figures: TimezoneSyncFigures,
});

export const clockCommands = {
  /** Sync the machine's zone with the server now (the design's "Sync timezone" button). */
  'clock.syncTimezone': technicianCommand(z.object({}).strict(), TimezoneSyncReply),
} as const;
