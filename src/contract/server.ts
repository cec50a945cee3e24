/**
 * The MyRVM server link: its state for the status bar and maintenance screen, commands the server sent,
 * and the technician's tools (status with the request log, test connection, timezone sync). Nothing here
 * carries the API key or a token: those stay in the main process.
 */
import { z } from 'zod';
import { command, technicianCommand } from './define.js';

export const LinkStatus = z.enum(['unconfigured', 'connecting', 'online', 'offline', 'not_commissioned', 'unauthorized', 'blocked']);
export const FeatureState = z.enum(['unknown', 'available', 'absent']);

export const RequestStatsSummary = z.object({
  total: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  avgMs: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
});

export const ServerLinkState = z.object({
  mode: z.enum(['simulator', 'remote']),
  serverUrl: z.string(),
  /** online; offline (unreachable); not_commissioned (heartbeat 403: no active technician assignment); unauthorized (bad API key); blocked. */
  link: LinkStatus,
  /** realtime = subscribed to rvm.<uuid>; polling = kiosk config every 30 s, commands via heartbeat. */
  realtime: z.enum(['realtime', 'polling']),
  realtimeDetail: z.string(),
  machineUuid: z.string().nullable(),
  rvmId: z.number().int().nullable(),
  serialNumber: z.string(),
  machineName: z.string(),
  timezone: z.string().nullable(),
  lastHandshakeAt: z.number().nullable(),
  lastHeartbeatAt: z.number().nullable(),
  lastError: z.string().nullable(),
  /** Designed endpoints: unknown until first used, absent once the server answered 404. */
  features: z.object({ timezone: FeatureState, rvmConfig: FeatureState, sessionStatus: FeatureState, telemetry: FeatureState, metrics: FeatureState, remoteAccess: FeatureState }),
  stats: RequestStatsSummary,
});

export const RequestLogEntry = z.object({
  at: z.number(),
  method: z.string(),
  path: z.string(),
  status: z.number().int().nullable(),
  ms: z.number(),
  attempt: z.number().int(),
  error: z.string().optional(),
});

export const serverCommands = {
  'server.status': technicianCommand(z.object({}).strict(), z.object({ state: ServerLinkState, recent: z.array(RequestLogEntry) })),
  'server.testConnection': technicianCommand(z.object({}).strict(), z.object({ ok: z.boolean(), link: LinkStatus, message: z.string() })),
  'server.syncTimezone': technicianCommand(
    z.object({ manual: z.boolean().default(true) }).strict(),
    z.object({ supported: z.boolean(), timezone: z.string().nullable(), message: z.string() }),
  ),
  /** Demo mode only: the simulator's "phone" redeems the QR code on screen as a demo user. */
  'server.simulatePhoneLogin': command(
    z.object({ userName: z.string().min(1).max(100).optional() }).strict(),
    z.object({ sessionId: z.string() }),
  ),
} as const;

/**
 * A realtime notice from the server for the recycler (`item.processed`, `ui.update`), as a code and numbers
 * only: the screen words it in the recycler's language (assets/i18n/<language>/recycler.json
 * `notice.<code>`); the server's own text (e.g. `rejection_reason`) never reaches the screen.
 */
export const ServerNoticeCode = z.enum(['item_accepted', 'item_rejected', 'session_authorized', 'item_processed', 'session_ended', 'hardware_status', 'error']);
export const ServerNotice = z.object({
  code: ServerNoticeCode,
  /** Points the server awarded (`item.processed`), null when it said none. */
  points: z.number().int().nullable(),
  /** The material, where the server's item type names one the kiosk knows. */
  material: z.enum(['pet', 'can', 'glass']).nullable(),
  /** Epoch ms it arrived: a screen that (re)connects later does not show an old one. */
  at: z.number(),
});

export const serverEvents = {
  'server.state': ServerLinkState,
  'server.notice': ServerNotice,
} as const;
