/** Maintenance-mode settings (the `maintenance` section of the configuration). */
import { z } from 'zod';

export const maintenanceConfig = z.object({
  /** Wrong PINs allowed per window before the keypad locks (the server's own limit is 5 per hour). */
  maxFailures: z.number().int().min(1).default(5),
  windowMs: z.number().int().min(1000).default(60 * 60 * 1000),
  /** Leave maintenance mode after this long without technician activity. */
  inactivityMs: z.number().int().min(1000).default(10 * 60 * 1000),
  /** A PIN the server accepted also opens maintenance mode offline for this long (0 = never offline). */
  offlinePinValidityMs: z.number().int().min(0).default(24 * 60 * 60 * 1000),
}).strict();
