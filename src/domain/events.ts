/**
 * Every signal that flows between features inside the kiosk process, declared once: the name and its
 * payload. `src/core/event-bus.ts` carries them, typed by this interface. These never cross to a screen (the
 * UI contract in src/contract/ does that), so they carry plain domain values, not validated wire shapes.
 *
 *   machine.bins     hardware → server heartbeat (fullest bin), monitoring
 *   session.phase    session flow → remote commands and restart requests (they wait for `idle`)
 *   session.item     session flow → monitoring's daily tally (each item's verdict, once)
 *   detection.outcome detection → monitoring (detector errors and the model's state)
 *   server.command   server link → remote hardware commands, restart, log (each command delivered once)
 *   server.notice    server link → anything that shows the server's realtime notices
 *   server.online    server link → outbox (flush now: the server is back)
 *   server.timezone  server link → clock (the machine's IANA zone from the handshake or a timezone sync)
 *   server.configUpdate server link → detection threshold (realtime `config_update`: the server's config changed)
 *   monitoring.readings  monitoring sampler → telemetry channels (server, MQTT): one batch of sensor readings
 *   monitoring.alert     monitoring alerts → status board, server heartbeat, webhook, MQTT: each transition
 *   credit.delivery      outbox sender (wire-server-link.ts) → operator log: each try to deliver one credit
 */
import type { ItemOutcome } from '../contract/outcomes.js';
import type { Bin, Material } from './ports.js';

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

/** One sensor reading: `sensor` is a dotted id such as `bin.glass`, `temperature`, `outbox.pending`. */
export interface Reading {
  sensor: string;
  value: number;
  /** Epoch ms. */
  at: number;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertStatus = 'raised' | 'acknowledged' | 'resolved';

/** Who moved an alert: the system (a rule raised or cleared it) or a technician from the PIN reply. */
export type AlertActor = { kind: 'system' } | { kind: 'technician'; name: string; assignmentId: number | null };

export interface Alert {
  id: string;
  /** The rule that raised it, e.g. `bin_full.glass`, `temperature_high`. */
  rule: string;
  sensor: string;
  severity: AlertSeverity;
  /** What it stops while open: nothing, new sessions, or one material. */
  effect: { kind: 'none' } | { kind: 'stop_sessions' } | { kind: 'stop_material'; material: Exclude<Material, 'reject'> };
  status: AlertStatus;
  /** The reading that raised it and the threshold it crossed (with where the threshold came from). */
  value: number;
  threshold: number;
  thresholdSource: 'default' | 'config' | 'server';
  raisedAt: number;
  updatedAt: number;
  history: Array<{ status: AlertStatus; at: number; by: AlertActor; note: string | null; delivery?: { webhook?: DeliveryRecord } }>;
}

/** A channel's settled delivery of one alert transition (kept on the alert, so it survives with it). */
export interface DeliveryRecord {
  status: 'sent' | 'failed';
  /** When it was sent, or when the last attempt failed (epoch ms). */
  at: number;
  error?: string;
}

export interface AlertTransition {
  alert: Alert;
  /** The status it moved to in this transition. */
  to: AlertStatus;
  at: number;
  by: AlertActor;
}

/**
 * One settled item of a session, as the recycler was told: accepted with its points, or what became of it
 * (src/contract/outcomes.ts) and whether it was handed back.
 */
export interface SessionItem {
  id: string;
  material: string;
  accepted: boolean;
  points: number;
  outcome: ItemOutcome;
  returned: boolean;
  at: number;
}

/** One try to deliver one credit, and what the server said (src/app/wire-server-link.ts). */
export interface CreditDelivery {
  /** The credit's id: the item's id in `session.item` and the operator log. */
  itemId: string;
  sessionId: string;
  /** delivered: the server took it. retry: not now (offline, 5xx, 401…), the outbox tries again. refused: the
   * server refused the data itself (400/413/422); the credit is parked for a technician. */
  outcome: 'delivered' | 'retry' | 'refused';
  via: 'deposit' | 'sync-offline' | null;
  /** The HTTP status when the server answered with an error; null for a network failure or a success. */
  status: number | null;
  /** The server's reply in words (its message for a refusal or an error). */
  reply: string;
}

export interface KioskEvents {
  'machine.bins': BinLevels;
  'session.phase': { phase: SessionPhase; sessionId: string | null };
  'session.item': SessionItem;
  /** A classification's reject reason (null when accepted), or a change of the model's state. */
  'detection.outcome': { kind: 'result'; reason: string | null } | { kind: 'state'; status: 'loading' | 'ready' | 'error' };
  'server.command': ServerCommand;
  'server.notice': ServerNotice;
  'server.online': { at: number };
  'server.timezone': TimezoneUpdate;
  /** Realtime `timezone_update` (the server's dashboard): apply the zone if given, then sync. */
  'server.timezoneRequest': { timezone: string | null };
  /** The threshold when the event carried one; otherwise the config is fetched again. */
  'server.configUpdate': { confidenceThreshold?: number };
  'monitoring.readings': Reading[];
  'monitoring.alert': AlertTransition;
  'credit.delivery': CreditDelivery;
}
