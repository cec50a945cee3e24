/**
 * Put an archive's state into a data folder — with the kiosk stopped (the CLI), or at the next start when
 * a technician staged it (pending-restore.ts). The archive is verified first (archive.ts); one from another
 * machine is refused unless forced, since its credits would be sent under this machine's key. Whatever the
 * folder already holds for a restored entry is moved aside into `pre-restore-<time>/`, never deleted.
 *
 * Why credits come back right: the outbox is restored as its journals — credit segments plus the status
 * journal with every ack — so replay on start rebuilds exactly the records that were still owed when the
 * backup was taken; delivered ones replay as acknowledged and are not sent again.
 */
import { cp, mkdir, open, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../storage/durable-fs.js';
import { BackupError } from './errors.js';
import { openArchive } from './archive.js';
import type { BackupManifest } from './manifest.js';

export const RESTORED_SETTINGS = 'restored-settings.json';

export interface RestoreOptions {
  /** The serial number of the credentials this machine runs with; null when none are installed. */
  serialNumber: string | null;
  force?: boolean;
  now?: () => Date;
  onProgress?: (percent: number) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  restored: string[];
  /** Where earlier contents were moved, or null when the folder had none of the restored entries. */
  movedAside: string | null;
  /** The archive's settings (secrets removed), written for the technician to compare; null when absent. */
  settingsFile: string | null;
  /** The archive was from another machine (or an unknown one) and --force was given. */
  forced: boolean;
}

export async function restoreArchive(file: string, dataDir: string, opts: RestoreOptions): Promise<RestoreResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const archive = await openArchive(file);
  try {
    progress(40);
    const { manifest } = archive;
    const forced = checkMachine(manifest, opts.serialNumber, opts.force === true);
    await mkdir(dataDir, { recursive: true });
    const source = path.join(archive.root, 'data');
    const entries = await readdir(source).catch(() => [] as string[]);
    const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = path.join(dataDir, `pre-restore-${stamp}`);
    let movedAside = false;
    for (const [i, entry] of entries.entries()) {
      const target = path.join(dataDir, entry);
      if (await present(target)) {
        await mkdir(aside, { recursive: true });
        await rename(target, path.join(aside, entry));
        movedAside = true;
      }
      await cp(path.join(source, entry), target, { recursive: true });
      await syncTree(target);
      progress(40 + Math.round(((i + 1) / entries.length) * 55));
    }
    await fsyncDir(dataDir);
    let settingsFile: string | null = null;
    const settings = path.join(archive.root, 'settings', 'config.json');
    if (await present(settings)) {
      settingsFile = path.join(dataDir, RESTORED_SETTINGS);
      await cp(settings, settingsFile);
    }
    await writeFile(path.join(dataDir, 'last-restore.json'), `${JSON.stringify({ from: path.basename(file), createdAt: manifest.createdAt, machine: manifest.machine, restoredAt: new Date().toISOString(), forced })}\n`);
    progress(100);
    return { manifest, restored: entries, movedAside: movedAside ? aside : null, settingsFile, forced };
  } finally {
    await archive.dispose();
  }
}

function checkMachine(manifest: BackupManifest, serial: string | null, force: boolean): boolean {
  const from = manifest.machine.serialNumber;
  if (serial === null) {
    if (force) return true;
    throw new BackupError('backup_machine_unknown', `this kiosk has no credentials yet, so it cannot tell whether the backup (machine ${from ?? 'unknown'}) is its own: import this machine's rvm-credentials.json first, or restore with --force`);
  }
  if (from === serial) return false;
  if (force) return true;
  throw new BackupError('backup_other_machine', `the backup is from machine ${from ?? 'unknown'}, this kiosk is ${serial}: its credits would be sent as this machine's. Restore with --force only if this hardware now is that machine`);
}

async function present(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Restored files must be on disk before the kiosk starts on them. */
async function syncTree(target: string): Promise<void> {
  const info = await stat(target);
  if (info.isDirectory()) {
    for (const name of await readdir(target)) await syncTree(path.join(target, name));
    await fsyncDir(target);
    return;
  }
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
