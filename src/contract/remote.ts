/**
 * Remote access for a technician (docs/remote-access.md): start a time-limited session, see it, stop it.
 * Off unless the machine's configuration enables it; refusals come as codes (remote_disabled, …).
 */
import { z } from 'zod';
import { technicianCommand } from './define.js';

export const RemoteAddress = z.object({
  interface: z.string(),
  address: z.string(),
  family: z.enum(['IPv4', 'IPv6']),
  /** Tailscale, WireGuard, tun/tap, ZeroTier, PPP. */
  vpn: z.boolean(),
});

export const RemoteEndReason = z.enum(['stopped', 'expired', 'exited', 'failed', 'shutdown']);

export const RemoteHistoryEntry = z.object({
  id: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  minutes: z.number().int(),
  endReason: RemoteEndReason.nullable(),
  host: z.string().nullable(),
});

export const RemoteState = z.object({
  /** `remoteAccess.enabled` in the configuration: false = nothing can be started from the screen. */
  enabled: z.boolean(),
  active: z.boolean(),
  sessionId: z.string().nullable(),
  /** Epoch ms. */
  since: z.number().nullable(),
  /** Epoch ms of the hard limit. */
  until: z.number().nullable(),
  addresses: z.array(RemoteAddress),
  /** The last refusal or failure as a code (`error.<code>` in codes.json), cleared by a successful start. */
  lastError: z.enum(['remote_disabled', 'remote_unsupported', 'remote_busy', 'remote_start_failed']).nullable(),
  lastErrorDetail: z.string().nullable(),
  /** Whether the server offers the designed remote-access endpoints; `none` = no server link. */
  server: z.enum(['unknown', 'available', 'absent', 'none']),
  /** The latest sessions, newest first. */
  history: z.array(RemoteHistoryEntry),
});

export const remoteCommands = {
  'remote.start': technicianCommand(z.object({ minutes: z.number().int().min(1).max(24 * 60).optional() }).strict(), RemoteState),
  'remote.stop': technicianCommand(z.object({}).strict(), RemoteState),
  'remote.status': technicianCommand(z.object({}).strict(), RemoteState),
  'remote.history': technicianCommand(z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(), z.object({ entries: z.array(RemoteHistoryEntry) })),
} as const;

export const remoteEvents = {
  'remote.state': RemoteState,
} as const;
