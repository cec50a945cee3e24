/**
 * Technician actions on the maintenance screens, and their audit. Every technician action (these, plus
 * hardware tests, alert acknowledge/resolve and outbox pushes) is recorded durably with who, what, when and
 * the result; `technician.audit` lists it newest first. Actions the server's PIN reply did not permit are
 * refused with `forbidden` and audited as refused (see `permissions` in maintenance.ts).
 */
import { z } from 'zod';
import { technicianCommand } from './define.js';

export const AuditResultSchema = z.enum(['ok', 'refused', 'failed']);

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.number(),
  technicianName: z.string().nullable(),
  assignmentId: z.number().int().nullable(),
  /**
   * A code for the screen to translate (`audit.action.<code>` in maintenance.json), e.g. 'bin_emptied',
   * 'tare', 'hardware_test', 'alert_acknowledged', 'alert_resolved', 'restart_app', 'outbox_push',
   * 'maintenance_enter', 'maintenance_exit', 'maintenance_refused'.
   */
  action: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  result: AuditResultSchema,
  /** True once the server acknowledged the matching maintenance command (only for actions it knows). */
  reported: z.boolean(),
});

export const BinSchema = z.enum(['plastic', 'can', 'glass']);

export const SystemInfoSchema = z.object({
  /** The kiosk application's version, and the core's. */
  version: z.string(),
  coreVersion: z.string(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  uptimeSec: z.number().nonnegative(),
  dataDir: z.string(),
  /** Non-internal network addresses, VPN interfaces (wg0, tun0) included. */
  addresses: z.array(z.object({ iface: z.string(), address: z.string(), family: z.enum(['IPv4', 'IPv6']) })),
});

export const technicianCommands = {
  /** The audit log, newest first; `from` inclusive, `to` exclusive (epoch ms). */
  'technician.audit': technicianCommand(
    z
      .object({
        from: z.number().optional(),
        to: z.number().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    z.object({ entries: z.array(AuditEntrySchema) }),
  ),
  /**
   * The technician emptied a bin: audited, the bin's open alert resolved as theirs (with the note, or "bin
   * emptied"), the controller told where it can be, and the bin-full refusal cleared.
   */
  'technician.binEmptied': technicianCommand(z.object({ bin: BinSchema, note: z.string().trim().min(1).max(2_000).optional() }).strict(), z.object({ ok: z.boolean() })),
  /** Zero the scale; the weight read after taring, or null when the controller gave none. */
  'technician.tare': technicianCommand(z.object({}).strict(), z.object({ ok: z.boolean(), weightGrams: z.number().nullable() })),
  /** Ask the shell to restart the app (the reply comes before the restart). */
  'technician.restartApp': technicianCommand(z.object({}).strict(), z.object({ ok: z.literal(true) })),
  'technician.systemInfo': technicianCommand(z.object({}).strict(), SystemInfoSchema),
} as const;

export const technicianEvents = {} as const;
