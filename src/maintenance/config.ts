/** Maintenance-mode settings (the `maintenance` section of the configuration). */
import { z } from 'zod';

export const maintenanceConfig = z
  .object({
    /**
     * Wrong PINs in a row that cost nothing; after them each attempt waits (firstDelayMs, doubling up to
     * maxDelayMs). The server's own limit is 5 per hour. See docs/maintenance.md for the rule and its figures.
     */
    maxFailures: z.number().int().min(1).default(3),
    firstDelayMs: z.number().int().min(1000).default(30_000),
    /** The longest wait: the most a passer-by can cost a technician. */
    maxDelayMs: z.number().int().min(1000).default(15 * 60 * 1000),
    /** A run of wrong PINs is forgotten once this long passes without one; longer than maxDelayMs. */
    windowMs: z.number().int().min(1000).default(2 * 60 * 60 * 1000),
    /** Leave maintenance mode after this long without technician activity. */
    inactivityMs: z.number().int().min(1000).default(10 * 60 * 1000),
    /** A PIN the server accepted also opens maintenance mode offline for this long (0 = never offline). */
    offlinePinValidityMs: z.number().int().min(0).default(24 * 60 * 60 * 1000),
  })
  .strict()
  .refine((c) => c.maxDelayMs >= c.firstDelayMs, { message: 'maxDelayMs must be at least firstDelayMs', path: ['maxDelayMs'] })
  // A quiet period no longer than the longest wait would hand the free attempts back after every wait.
  .refine((c) => c.windowMs > c.maxDelayMs, { message: 'windowMs must be longer than maxDelayMs', path: ['windowMs'] });
