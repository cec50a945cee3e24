/**
 * The four events of channel `rvm.<uuid>`, with the payloads MyRVM-Server's event classes would
 * broadcast (contract §3.1, `broadcastWith`). Each is validated before it reaches the app: a bad payload is
 * logged and dropped, never thrown.
 */
import { z } from 'zod';

export const hardwareCommandEvent = z.object({
  command: z.string().min(1),
  params: z.record(z.string(), z.unknown()).nullable().optional(),
  request_id: z.string().min(1),
  timestamp: z.string().optional(),
});

export const sessionAuthorizedEvent = z.object({
  session_id: z.string().min(1),
  user: z.object({ id: z.number().int().optional(), name: z.string().min(1), balance: z.number().optional() }),
  timestamp: z.string().optional(),
});

export const itemProcessedEvent = z.object({
  session_id: z.string(),
  accepted: z.boolean(),
  item_type: z.string().nullable().optional(),
  points_awarded: z.number().int(),
  rejection_reason: z.string().nullable().optional(),
  timestamp: z.string().optional(),
});

export const uiUpdateEvent = z.object({
  type: z.enum(['session_authorized', 'item_processed', 'session_ended', 'hardware_status', 'error']),
  payload: z.unknown(),
  timestamp: z.string().optional(),
});

/**
 * Designed (not in today's server): the machine's `rvms/{id}/config` changed on the dashboard. The new
 * threshold may ride along; without it the kiosk fetches the config again.
 */
export const configUpdateEvent = z
  .object({ confidence_threshold: z.number().min(0).max(1).nullable().optional(), timestamp: z.string().optional() })
  .passthrough();

/**
 * Designed (product brief item 2): the dashboard's "Sync timezone". No server defines it yet, so it is lenient:
 * a zone to apply at once if given, and in any case a request to sync and report back.
 */
export const timezoneUpdateEvent = z
  .object({ timezone: z.string().min(1).max(64).nullable().optional(), device_id: z.string().optional(), timestamp: z.string().optional() })
  .passthrough();

export const realtimeEvents = {
  'hardware.command': hardwareCommandEvent,
  'session.authorized': sessionAuthorizedEvent,
  'item.processed': itemProcessedEvent,
  'ui.update': uiUpdateEvent,
  config_update: configUpdateEvent,
  timezone_update: timezoneUpdateEvent,
} as const;

export type RealtimeEventName = keyof typeof realtimeEvents;
export type RealtimeEvent = {
  [K in RealtimeEventName]: { name: K; data: z.output<(typeof realtimeEvents)[K]> };
}[RealtimeEventName];
