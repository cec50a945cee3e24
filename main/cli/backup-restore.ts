/**
 * `rvm-kiosk backup [--out DIR]` and `rvm-kiosk restore FILE [--force]` (docs/backup.md). The restore runs
 * with the kiosk stopped: it verifies the archive (sha256 of every file), refuses another machine's archive
 * unless --force, moves what the data folder already holds aside, and puts the backup's state in place. On
 * the next start the outbox replays its journal: undelivered credits are sent once, delivered ones stay so.
 */
import path from 'node:path';
import type { KioskConfig } from '../../src/app/config-schema.js';
import { machineSerial } from '../../src/app/setup-backup.js';
import { CORE_VERSION } from '../../src/app/setup-system.js';
import { createBackup } from '../../src/backup/create-backup.js';
import { codeOf } from '../../src/backup/errors.js';
import { restoreArchive } from '../../src/backup/restore.js';
import type { SecretStore } from '../../src/storage/secret-store.js';

export interface CliOutcome {
  code: 0 | 1;
  lines: string[];
}

export async function backupCommand(config: KioskConfig, opts: { out: string | undefined; cwd: string; secrets?: SecretStore | undefined }): Promise<CliOutcome> {
  const dir = opts.out ? path.resolve(opts.cwd, opts.out) : config.backup.dir ? path.resolve(config.dataDir, config.backup.dir) : path.join(config.dataDir, 'backups');
  try {
    const made = await createBackup({ dataDir: config.dataDir, dir, version: CORE_VERSION, machine: { serialNumber: machineSerial(config, null, opts.secrets), name: config.machineName }, settings: config });
    return { code: 0, lines: [`Backup written: ${made.file} (${made.bytes} bytes, ${made.manifest.files.length} files, sha256 ${made.sha256}).`, 'It holds no credentials: keep this machine\'s rvm-credentials.json separately.'] };
  } catch (err) {
    return { code: 1, lines: [`Backup failed (${codeOf(err)}): ${(err as Error).message}`] };
  }
}

export async function restoreCommand(file: string, config: KioskConfig, opts: { force: boolean; cwd: string; secrets?: SecretStore | undefined }): Promise<CliOutcome> {
  const source = path.resolve(opts.cwd, file);
  try {
    const result = await restoreArchive(source, config.dataDir, { serialNumber: machineSerial(config, null, opts.secrets), force: opts.force });
    const lines = [
      `Restored the backup of machine ${result.manifest.machine.serialNumber ?? 'unknown'} (${result.manifest.machine.name}) taken ${result.manifest.createdAt} into ${config.dataDir}: ${result.restored.join(', ') || 'nothing'}.`,
    ];
    if (result.forced) lines.push('Restored with --force: the archive was not checked against this machine.');
    if (result.movedAside) lines.push(`What the data folder held before was moved to ${result.movedAside}.`);
    if (result.settingsFile) lines.push(`The backup's settings (no secrets) are in ${result.settingsFile}: compare them with this machine's configuration.`);
    lines.push('Start the kiosk: credits still owed in the backup are sent to the server once; delivered ones are not sent again.');
    return { code: 0, lines };
  } catch (err) {
    return { code: 1, lines: [`Not restored (${codeOf(err)}): ${(err as Error).message}`, 'Nothing in the data folder was changed.'] };
  }
}
