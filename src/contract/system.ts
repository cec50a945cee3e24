/** System-wide commands and events: UI readiness, language, machine status, clock. */
import { z } from 'zod';
import { TimezoneSyncFigures } from './clock.js';
import { command } from './define.js';

export const Language = z.enum(['id', 'en']);

/** Why the machine cannot take items right now; the UI translates the code, the detail is for technicians. */
export const OutOfServiceReason = z.object({
  code: z.string().min(1),
  detail: z.string().optional(),
});

/** Whether the machine takes one material now, and why not (assets/i18n `material_reason.<reason>`). */
export const MaterialAvailability = z.object({
  accepting: z.boolean(),
  reason: z.enum(['bin_full', 'bin_fault', 'stopped_by_alert']).nullable(),
});

export const MachineStatus = z.object({
  state: z.enum(['starting', 'ready', 'busy', 'out_of_service', 'maintenance']),
  reasons: z.array(OutOfServiceReason),
  /** Worth knowing but not stopping the machine (e.g. the demo runs without socat). */
  notices: z.array(OutOfServiceReason),
  /**
   * Per material: a full or faulty bin (or a monitoring alert) refuses only its material. With none accepted
   * the state is `out_of_service` with reason `no_material_accepted`.
   */
  materials: z.object({ pet: MaterialAvailability, can: MaterialAvailability, glass: MaterialAvailability }),
  demoMode: z.boolean(),
  machineName: z.string(),
});

export const ClockState = z.object({
  /** Add to the device's Date.now() to get server-synced time. */
  offsetMs: z.number(),
  timezone: z.string().min(1),
  /** WIB / WITA / WIT for Indonesian zones, otherwise the short name Intl gives. */
  abbreviation: z.string(),
  synced: z.boolean(),
  source: z.enum(['device', 'server']),
  driftAlarm: z.boolean(),
  /** Time-zone sync figures for the maintenance screen (design: last sync, number of zone changes). */
  sync: z.object({
    zoneSource: z.enum(['local', 'timezone_sync', 'handshake', 'kiosk_config', 'config']),
    zoneChanges: z.number().int().nonnegative(),
    lastZoneChangeAt: z.number().nullable(),
    lastSampleAt: z.number().nullable(),
    /** The designed timezone-sync endpoint's figures (contract/clock.ts); the core always sends them, UI fixtures may not. */
    timezoneSync: TimezoneSyncFigures.optional(),
  }),
});

export const systemCommands = {
  'system.hello': command(
    z.object({ client: z.enum(['electron', 'browser', 'test']), version: z.string().optional() }).strict(),
    z.object({ coreVersion: z.string(), language: Language }),
  ),
  'system.setLanguage': command(z.object({ language: Language }).strict(), z.object({ language: Language })),
  'system.ping': command(z.object({}).strict(), z.object({ at: z.number() })),
} as const;

export const systemEvents = {
  'system.status': MachineStatus,
  'system.language': z.object({ language: Language }),
  'clock.state': ClockState,
} as const;
