/** Clock settings (the `clock` section of the configuration); every field has a default. */
import { z } from 'zod';

/** The designed timezone sync (docs/clock.md): automatic at most once a minute, as the design's rate limit. */
export const timezoneSyncConfig = z.object({
  /** Automatic sync after each handshake and then this often (a dashboard can also ask over realtime). */
  autoEveryMs: z.number().int().min(60_000).default(60 * 60 * 1000),
  /** No two syncs (automatic or manual) closer than this: the server allows one a minute per device. */
  minIntervalMs: z.number().int().min(1_000).default(60_000),
}).strict();

export const clockConfig = z.object({
  /** A local IANA zone that beats anything the server says (null: follow the server, then `timezone`). */
  timezoneOverride: z.string().nullable().default(null),
  /** Samples kept for the estimate (the best of them by round trip win). */
  maxSamples: z.number().int().min(1).max(64).default(8),
  /** Samples older than this no longer count (device crystals drift a few ms per minute at worst). */
  sampleMaxAgeMs: z.number().int().min(1000).default(60 * 60 * 1000),
  /** A sample whose round trip took longer than this says too little to keep. */
  maxRttMs: z.number().int().min(1).default(10_000),
  /** Two samples in a row this far from the estimate mean a clock was stepped: start over from them. */
  stepThresholdMs: z.number().int().min(1).default(2_000),
  /** Device and server clocks further apart than this raise `driftAlarm`. */
  driftAlarmMs: z.number().int().min(1).default(30_000),
  /** Largest backward correction applied at once (it must fit inside one displayed second). */
  slewStepMs: z.number().int().min(1).max(500).default(250),
  /** Corrections smaller than this are not worth an event (server times have 1 s resolution anyway). */
  deadbandMs: z.number().int().min(0).default(100),
  /** Without a fresh sample for this long, the clock reports itself unsynced. */
  staleAfterMs: z.number().int().min(1000).default(2 * 60 * 60 * 1000),
  timezoneSync: timezoneSyncConfig.prefault({}),
}).strict();

export type ClockConfig = z.infer<typeof clockConfig>;
export type TimezoneSyncConfig = z.infer<typeof timezoneSyncConfig>;
