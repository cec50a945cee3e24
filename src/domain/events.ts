/**
 * Every signal that flows between features inside the kiosk process, declared once: the name and its
 * payload. `src/core/event-bus.ts` carries them, typed by this interface. These never cross to a screen (the
 * UI contract in src/contract/ does that), so they carry plain domain values, not validated wire shapes.
 *
 *   machine.bins     hardware → server heartbeat (fullest bin), monitoring
 *   session.phase    session flow → remote commands and restart requests (they wait for `idle`)
 *   server.command   server link → remote hardware commands, restart, log (each command delivered once)
 *   server.notice    server link → anything that shows the server's realtime notices
 *   server.online    server link → outbox (flush now: the server is back)
 *   server.timezone  server link → clock (the machine's IANA zone from the handshake or a timezone sync)
 */
import type { Bin } from './ports.js';

export interface BinLevel {
  percent: number;
  full: boolean;
}

export interface BinLevels {
  thresholdPercent: number;
  bins: Record<Bin, BinLevel>;
  updatedAt: number | null;
}

export type SessionPhase = 'idle' | 'waiting_login' | 'active' | 'processing' | 'finished';

/** A command for the kiosk: RESTART / GIT_PULL from the heartbeat, hardware commands from realtime. */
export interface ServerCommand {
  id: string;
  command: string;
  params: Record<string, unknown> | null;
  source: 'heartbeat' | 'realtime';
  at: string;
}

export interface ServerNotice {
  event: 'item.processed' | 'ui.update';
  payload: Record<string, unknown>;
}

export interface TimezoneUpdate {
  timezone: string;
  source: 'handshake' | 'timezone_sync';
}

export interface KioskEvents {
  'machine.bins': BinLevels;
  'session.phase': { phase: SessionPhase; sessionId: string | null };
  'server.command': ServerCommand;
  'server.notice': ServerNotice;
  'server.online': { at: number };
  'server.timezone': TimezoneUpdate;
}
