/**
 * What the clock needs from a server to sync the machine's time zone, as types only (other features may
 * import this file, and only as types). src/server/endpoints/designed-timezone.ts implements it over HTTP;
 * src/app/setup-clock.ts connects the two.
 */

/** `slash`: POST /api/v2/timezone/sync (+ /manual), GET …/timezone/status/{id}; `dash`: /api/v2/timezone-sync, …/timezone-status/{id}. */
export type TimezoneSpelling = 'slash' | 'dash';
export type TimezoneSyncMethod = 'automatic' | 'manual';

export interface TimezoneSyncRequest {
  timezone: string;
  country: string | null;
  city: string | null;
  method: TimezoneSyncMethod;
  /** Device time of the attempt (epoch ms). */
  at: number;
}

export type TimezoneSyncResult =
  | { kind: 'synced'; timezone: string; spelling: TimezoneSpelling }
  /** Neither spelling exists on this server: stop asking. */
  | { kind: 'unsupported' }
  /** A code: network, timeout, http_<status>, invalid_reply. */
  | { kind: 'failed'; reason: string };

export interface TimezoneServerStatus {
  timezone: string | null;
  lastSyncAt: string | null;
  syncCount: number | null;
}

export interface TimezoneSyncPort {
  availability(): 'unknown' | 'available' | 'absent';
  sync(request: TimezoneSyncRequest): Promise<TimezoneSyncResult>;
  /** The status endpoint; null when it cannot be read (absent, failed). */
  status(): Promise<TimezoneServerStatus | null>;
}

/** Where the spelling that answered is remembered (the clock's durable record). */
export interface SpellingMemory {
  get(): TimezoneSpelling | null;
  set(spelling: TimezoneSpelling): void;
}
