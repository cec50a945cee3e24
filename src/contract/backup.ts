/**
 * Backup and restore (docs/backup.md): the technician takes a backup, copies it to a USB drive, or stages a
 * restore (applied at the next start); `backup.state` drives the progress bar. Errors are codes the screen
 * translates (`error.<code>` in assets/i18n/<lang>/codes.json).
 */
import { z } from 'zod';
import { backupRefusals } from './errors.js';
import { command, technicianCommand } from './define.js';

export const BackupErrorCode = z.enum(backupRefusals);

export const BackupState = z.object({
  phase: z.enum(['idle', 'collecting', 'archiving', 'uploading', 'copying', 'restoring', 'done', 'failed']),
  percent: z.number().min(0).max(100),
  /** What is (or was last) running. */
  operation: z.enum(['backup', 'usb', 'restore']).nullable(),
  lastBackupAt: z.string().nullable(),
  lastFile: z.string().nullable(),
  lastError: BackupErrorCode.nullable(),
  /** English detail for technicians and logs. */
  lastErrorMessage: z.string().nullable(),
  /** The last backup's upload: off (not configured), unsupported (today's server), uploaded or failed. */
  lastUpload: z.enum(['uploaded', 'unsupported', 'failed', 'off']).nullable(),
  /** Whether the server offers the designed backup endpoints. */
  server: z.enum(['unknown', 'available', 'absent', 'off']),
});

const Archive = z.object({ name: z.string(), file: z.string(), bytes: z.number().int().nonnegative(), at: z.number() });
const UsbTarget = z.object({ dir: z.string(), label: z.string(), writable: z.boolean() });

export const backupCommands = {
  'backup.status': command(z.object({}).strict(), BackupState.extend({ archives: z.array(Archive) })),
  'backup.create': technicianCommand(
    z.object({}).strict(),
    z.object({ file: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string(), files: z.number().int().nonnegative(), upload: BackupState.shape.lastUpload }),
  ),
  'backup.usbTargets': technicianCommand(z.object({}).strict(), z.object({ targets: z.array(UsbTarget) })),
  'backup.toUsb': technicianCommand(z.object({ dir: z.string().min(1) }).strict(), z.object({ file: z.string() })),
  /** Verify `file` (an archive in the backup folder or on a listed USB drive) and restore it at the next start. */
  'backup.restore': technicianCommand(
    z.object({ file: z.string().min(1), force: z.boolean().default(false) }).strict(),
    z.object({ staged: z.literal(true), createdAt: z.string(), machine: z.string().nullable(), restarting: z.boolean() }),
  ),
};

export const backupEvents = {
  'backup.state': BackupState,
};
