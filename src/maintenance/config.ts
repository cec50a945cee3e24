/**
 * Maintenance-mode settings. Not yet composed into src/config/schema.ts (owned by the lead):
 * setup-maintenance reads the `maintenance` section with `maintenanceConfig.parse(...)`.
 */
import { z } from 'zod';

export const maintenanceConfig = z.object({
  /** Wrong PINs allowed per window before the keypad locks (the server's own limit is 5 per hour). */
  maxFailures: z.number().int().min(1).default(5),
  windowMs: z.number().int().min(1000).default(60 * 60 * 1000),
  /** Leave maintenance mode after this long without technician activity. */
  inactivityMs: z.number().int().min(1000).default(10 * 60 * 1000),
});

export type MaintenanceConfig = z.infer<typeof maintenanceConfig>;
