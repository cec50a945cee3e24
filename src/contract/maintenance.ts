/**
 * Maintenance mode: a technician enters with the 6-digit PIN the server issued for their assignment. The
 * keypad locks after too many wrong PINs (locally, durably, and as the server says); the mode ends on
 * exit, after inactivity, or when the server's technician session expires.
 */
import { z } from 'zod';
import { command } from './define.js';

export const MaintenanceState = z.object({
  active: z.boolean(),
  technicianName: z.string().nullable(),
  /** Epoch ms until which the keypad refuses PINs, or null. */
  lockedUntil: z.number().nullable(),
  /** Wrong PINs left before the lock; null while maintenance mode is active. */
  remainingAttempts: z.number().int().nonnegative().nullable(),
  /** Epoch ms when maintenance mode ends by itself (inactivity or server session expiry). */
  autoExitAt: z.number().nullable(),
  /**
   * The server's `permissions` from the PIN reply (e.g. `test_hardware`), for the screen to hide actions the
   * core would refuse. Null when inactive, and when the entry was offline or the server sent none — then
   * every action is allowed; an empty map is the server granting nothing (docs/maintenance.md, "Audit log
   * and technician actions").
   */
  permissions: z.record(z.string(), z.boolean()).nullable(),
});

export const MaintenanceEnterReply = z.object({
  ok: z.boolean(),
  /** Why entry was refused, for the UI to translate. */
  error: z.enum(['wrong_pin', 'locked', 'unavailable']).optional(),
  technicianName: z.string().optional(),
  remainingAttempts: z.number().int().nonnegative().optional(),
  lockedUntil: z.number().optional(),
  /** Detail for a technician (never the PIN). */
  message: z.string().optional(),
});

export const maintenanceCommands = {
  'maintenance.enter': command(z.object({ pin: z.string().regex(/^\d{6}$/, 'the PIN is 6 digits') }).strict(), MaintenanceEnterReply),
  'maintenance.exit': command(z.object({}).strict(), MaintenanceState),
  'maintenance.status': command(z.object({}).strict(), MaintenanceState),
  /** Technician activity on the maintenance screen: postpones the inactivity exit. */
  'maintenance.touch': command(z.object({}).strict(), MaintenanceState),
} as const;

export const maintenanceEvents = {
  'maintenance.state': MaintenanceState,
} as const;
