/**
 * Wire shapes of the kiosk endpoints (`/api/v1/kiosk/*`, `X-Machine-UUID`; contract §2). Kiosk endpoints
 * use a different envelope from the edge ones: `success: true|false` instead of `status`.
 */
import { z } from 'zod';

export const sessionTokenReply = z.object({
  success: z.literal(true),
  data: z.object({
    token: z.string().min(16),
    expires_at: z.string().optional(),
    expires_in: z.number().int().positive(),
    qr_content: z.string().min(1),
  }),
});

export const guestSessionReply = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  data: z.object({ session_id: z.string().min(1), type: z.string().optional(), display_name: z.string().default('Tamu') }),
});

export const pinAuthReply = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  data: z.object({
    technician_name: z.string(),
    assignment_id: z.number().int(),
    /** Absent: the reply named no permissions (the kiosk then allows every action; docs/maintenance.md). */
    permissions: z.record(z.string(), z.boolean()).optional(),
    session_expires_at: z.string().optional(),
  }),
});

/** 401 wrong PIN / 429 locked out (§2.4). */
export const pinAuthError = z.object({
  success: z.literal(false).optional(),
  message: z.string(),
  remaining_attempts: z.number().int().optional(),
  retry_after: z.number().int().optional(),
});

export const maintenanceCommandReply = z.object({
  success: z.literal(true),
  message: z.string().optional(),
  data: z.object({ request_id: z.string(), command: z.string(), status: z.string() }),
});

export const MAINTENANCE_COMMANDS = [
  'test_motor',
  'open_door',
  'close_door',
  'test_led',
  'test_sensor',
  'check_connection',
  'reboot_edge',
  'check_model_update',
] as const;
export type MaintenanceCommand = (typeof MAINTENANCE_COMMANDS)[number];

export const kioskConfigReply = z.object({
  success: z.literal(true),
  data: z.object({
    machine_name: z.string().nullable().optional(),
    theme_mode: z.string().optional(),
    applied_theme: z.string().optional(),
    timezone: z.string().optional(),
    qr_refresh_interval: z.number().optional(),
  }),
});
