/** The `backup` section of the configuration (docs/configuration.md, docs/backup.md). */
import { z } from 'zod';

export const backupConfig = z.object({
  /** Take a backup on a schedule (the technician's `backup.create` works either way). */
  enabled: z.boolean().default(true),
  /** Time between scheduled backups; default daily. The first runs this long after the last one on disk. */
  intervalMs: z.number().int().min(60_000).default(24 * 60 * 60_000),
  /** Archives kept in the backup folder; older ones are deleted after each new backup. */
  keep: z.number().int().min(1).max(365).default(7),
  /** Where archives are written; default <dataDir>/backups. A folder on another disk survives a dead SD card. */
  dir: z.string().optional(),
  /** Upload each backup through the designed `rvms/{id}/backup/*` endpoints when the server offers them. */
  upload: z.boolean().default(true),
}).strict();

export type BackupConfig = z.output<typeof backupConfig>;
