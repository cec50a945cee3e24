/**
 * CSV export for technicians (docs/monitoring.md, "CSV export"): the sensor history, the alert log, the
 * credits still held in the outbox and the audit log, for a time range — as CSV text for the browser host's
 * download (`export.csv`), or written by the core to a USB drive (`export.toUsb`, into
 * `<mount>/rvm-export-<machine>-<date>/`), which is the only way on the Electron kiosk, where downloads are
 * blocked. `export.state` drives the progress bar; errors are codes (`error.<code>` in codes.json).
 */
import { z } from 'zod';
import { technicianCommand } from './define.js';
import { TimeBound } from './outbox.js';

export const ExportKind = z.enum(['history', 'alerts', 'credits', 'audit']);

export const ExportErrorCode = z.enum(['export_busy', 'export_usb_failed', 'export_too_large', 'export_not_a_drive']);

export const ExportState = z.object({
  phase: z.enum(['idle', 'writing', 'done', 'failed']),
  percent: z.number().min(0).max(100),
  /** The file being (or last) written, a name inside the export folder. */
  file: z.string().nullable(),
  /** The export folder on the drive, once made. */
  dir: z.string().nullable(),
  error: ExportErrorCode.nullable(),
  /** English detail for technicians and logs. */
  errorMessage: z.string().nullable(),
});

const Range = z.object({
  /** Inclusive. Epoch ms or ISO 8601 with offset. */
  from: TimeBound,
  /** Exclusive; default now. */
  to: TimeBound.optional(),
});

const count = z.number().int().nonnegative();

export const exportCommands = {
  /** CSV text (RFC 4180) of one kind for a range, for a download in the browser host. */
  'export.csv': technicianCommand(Range.extend({ kind: ExportKind }).strict(), z.object({ filename: z.string(), rows: count, csv: z.string() })),
  /** Writable drives under /media and /run/media (and the configured extra folders). */
  'export.usbMounts': technicianCommand(z.object({}).strict(), z.object({ mounts: z.array(z.object({ dir: z.string(), label: z.string(), writable: z.boolean() })) })),
  /** Write one CSV per kind into a new folder on `mount` (one of `export.usbMounts`); replies when done. */
  'export.toUsb': technicianCommand(
    Range.extend({ kinds: z.array(ExportKind).min(1).max(4), mount: z.string().min(1).max(4_096) }).strict(),
    z.object({ dir: z.string(), files: z.array(z.object({ kind: ExportKind, name: z.string(), rows: count })) }),
  ),
} as const;

export const exportEvents = {
  'export.state': ExportState,
} as const;
