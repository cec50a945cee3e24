/**
 * The MyRVM server link's configuration section (`server` in rvm-kiosk.json, or RVM__server__<field> in the
 * environment, e.g. RVM__server__url=https://myrvm.example.id). Every field has a default, so an empty section
 * means demo mode: the built-in simulator on loopback with freshly generated credentials.
 */
import { z } from 'zod';
import { MAX_TIMER_MS } from '../core/backoff.js';

/** Retry for one API call. Defaults follow the design's "enhanced API client": 3 attempts, ×2, 1 s, cap 60 s. */
export const retryPolicyConfig = z.object({
  attempts: z.number().int().min(1).max(10).default(3),
  factor: z.number().min(1).default(2),
  firstDelayMs: z.number().int().min(0).default(1_000),
  capMs: z.number().int().min(0).default(60_000),
}).strict();

/** Inline credentials, the same fields as the `rvm-credentials.json` the server's admin page hands out. */
export const credentialsConfig = z.object({
  serial_number: z.string().min(1),
  api_key: z.string().min(16),
  name: z.string().min(1),
  /** In the exported file too, so its contents can be pasted here as they are. */
  generated_at: z.string().optional(),
}).strict();

export const realtimeConfig = z.object({
  /** Off = always poll, even when a realtime server exists. */
  enabled: z.boolean().default(true),
  /** The Pusher/Reverb app key (REVERB_APP_KEY). Empty = no realtime server configured: polling. */
  appKey: z.string().default(''),
  /** Empty / 0 = take host, port and scheme from the handshake's `data.websocket`. */
  host: z.string().default(''),
  port: z.number().int().min(0).max(65535).default(0),
  scheme: z.enum(['', 'ws', 'wss']).default(''),
  /** Reconnect backoff after the socket drops or cannot connect. */
  reconnectFirstDelayMs: z.number().int().min(0).default(1_000),
  reconnectCapMs: z.number().int().min(0).default(30_000),
}).strict();

export const simulatorConfig = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  /** The technician PIN of the simulated active assignment; empty = a fresh random one, printed at start. */
  pin: z.string().regex(/^(\d{6})?$/).default(''),
  technicianName: z.string().default('Teknisi Demo'),
  /** Run the simulator's Pusher-protocol WebSocket server, so demo mode shows the realtime path. */
  realtime: z.boolean().default(true),
  /**
   * The confidence threshold the simulated server hands out (`rvms/{id}/config`), which the kiosk applies
   * over the model's own. 0.4 is the demo model's manifest value, so the demo cup is still accepted.
   */
  confidenceThreshold: z.number().min(0).max(1).default(0.4),
}).strict();

export const serverConfig = z.object({
  mode: z.enum(['simulator', 'remote']).default('simulator'),
  /** MyRVM-Server base URL, e.g. https://myrvm.example.id. A trailing /api or /api/v1 is tolerated. Remote mode only. */
  url: z.string().default(''),
  /** Path of rvm-credentials.json (relative paths: working directory first, then dataDir). Used when `credentials` is absent. */
  credentialsFile: z.string().default('rvm-credentials.json'),
  credentials: credentialsConfig.optional(),
  /** Sent as handshake/heartbeat `hardware_id`; empty = the serial number, as the reference edge does. */
  hardwareId: z.string().default(''),
  heartbeatMinMs: z.number().int().min(1_000).default(40_000),
  heartbeatMaxMs: z.number().int().min(1_000).default(60_000),
  /** Polling fallback when there is no realtime channel: kiosk config as the "connection check". */
  configPollMs: z.number().int().min(1_000).max(MAX_TIMER_MS).default(30_000),
  /**
   * Without realtime, how often the designed `rvms/{id}/config` is read again for the confidence threshold
   * (it is always read after a handshake). Never polled on a server without it.
   */
  rvmConfigPollMs: z.number().int().min(60_000).max(MAX_TIMER_MS).default(300_000),
  /** Polling of the designed QR-session status endpoint while a QR code is shown and realtime is off. */
  qrPollMs: z.number().int().min(500).max(MAX_TIMER_MS).default(3_000),
  requestTimeoutMs: z.number().int().min(100).max(MAX_TIMER_MS).default(10_000),
  /** Keep-alive pool size towards the server. */
  maxSockets: z.number().int().min(1).max(64).default(4),
  /**
   * Largest reply body accepted from the server, in bytes (default 1 MiB; the biggest real reply, a
   * handshake, is a few KB). A larger one is abandoned mid-read and counts as "not a MyRVM reply".
   */
  maxReplyBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  retry: retryPolicyConfig.prefault({}),
  /**
   * A fleet starts together (power returns) and sees the server return together. The first handshake after
   * start waits a random time within min(spreadMs, handshakeFirstDelayMs), the first realtime reconnect after
   * a drop one within min(spreadMs, realtime.reconnectCapMs); the kiosk config poll is jittered ±20 % around
   * its period; back online, the outbox flushes within a random wait up to outbox.backoff.maxMs
   * (src/app/wire-server-link.ts). 0 = none of these (a lone kiosk on a lab bench).
   */
  spreadMs: z.number().int().min(0).max(MAX_TIMER_MS).default(30_000),
  /** Background handshake retry while the server is unreachable at start-up. */
  handshakeFirstDelayMs: z.number().int().min(0).default(5_000),
  handshakeCapMs: z.number().int().min(0).default(300_000),
  /**
   * How often the designed `rvms/{id}/metrics` (and edge telemetry) are sent once the link is up — the
   * first right after the first accepted handshake. 5 minutes is the server's own advice
   * (`telemetry_interval_seconds: 300`). Nothing is sent where the server lacks the endpoints.
   */
  metricsEveryMs: z.number().int().min(10_000).max(MAX_TIMER_MS).default(300_000),
  /** Probe the designed (v2) endpoints; each one that answers 404 is switched off for the rest of the run. */
  designedEndpoints: z.boolean().default(true),
  realtime: realtimeConfig.prefault({}),
  simulator: simulatorConfig.prefault({}),
}).strict();

export type ServerConfig = z.infer<typeof serverConfig>;
export type RetryPolicyConfig = z.infer<typeof retryPolicyConfig>;
