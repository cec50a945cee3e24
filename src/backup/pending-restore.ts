/**
 * A restore asked for from the maintenance screen cannot replace the journals under a running kiosk, so it
 * is staged: the archive is verified (and the machine checked) at once, copied to
 * `<dataDir>/restore-pending.tar.gz` with a note, and applied by `applyPendingRestore` at the next start,
 * before any store opens. A failed apply leaves the data folder as it was and the reason in
 * `restore-failed.json`, and the kiosk starts on its own data.
 */
import { copyFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { exists, removeIfPresent } from '../storage/durable-fs.js';
import { openArchive } from './archive.js';
import { BackupError, codeOf } from './errors.js';
import { restoreArchive, type RestoreResult } from './restore.js';

const log = createLogger('backup');
export const PENDING = 'restore-pending.tar.gz';
const NOTE = 'restore-pending.json';

export async function stageRestore(file: string, dataDir: string, opts: { serialNumber: string | null; force: boolean }): Promise<{ createdAt: string; machine: string | null }> {
  const archive = await openArchive(file);
  await archive.dispose();
  // Check the machine now, so the technician hears "another machine" at the screen, not after a restart.
  const { manifest } = archive;
  if (!opts.force && (opts.serialNumber === null || manifest.machine.serialNumber !== opts.serialNumber)) {
    throw opts.serialNumber === null
      ? new BackupError('backup_machine_unknown', 'this kiosk has no credentials yet: import them first, or restore with force')
      : new BackupError('backup_other_machine', `the backup is from machine ${manifest.machine.serialNumber ?? 'unknown'}, this kiosk is ${opts.serialNumber}`);
  }
  await copyFile(file, path.join(dataDir, `${PENDING}.partial`));
  await rename(path.join(dataDir, `${PENDING}.partial`), path.join(dataDir, PENDING));
  await writeFile(path.join(dataDir, NOTE), `${JSON.stringify({ force: opts.force, stagedAt: new Date().toISOString() })}\n`);
  return { createdAt: manifest.createdAt, machine: manifest.machine.serialNumber };
}

/**
 * At start: apply a staged restore, if any. The machine was checked when it was staged (stageRestore), by
 * the same kiosk with the same credentials, so it is not checked again. Never throws; logged and returned.
 */
export async function applyPendingRestore(dataDir: string, serialNumber: string | null): Promise<RestoreResult | null> {
  const file = path.join(dataDir, PENDING);
  if (!(await exists(file))) return null;
  try {
    const result = await restoreArchive(file, dataDir, { serialNumber, force: true });
    log.info('staged backup restored', { createdAt: result.manifest.createdAt, restored: result.restored, movedAside: result.movedAside });
    return result;
  } catch (err) {
    log.error('staged restore failed; starting on the data folder as it was', { code: codeOf(err), error: String(err) });
    await writeFile(path.join(dataDir, 'restore-failed.json'), `${JSON.stringify({ code: codeOf(err), message: String(err), at: new Date().toISOString() })}\n`).catch(() => undefined);
    return null;
  } finally {
    await removeIfPresent(file).catch(() => undefined);
    await removeIfPresent(path.join(dataDir, NOTE)).catch(() => undefined);
  }
}
