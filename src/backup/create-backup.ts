/**
 * One backup, start to finish: snapshot the data folder into a scratch folder, add the redacted settings,
 * hash everything into the manifest, pack, and move the archive into place (written as `.partial` first, so
 * a power cut never leaves a half archive under a real name).
 */
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packArchive, writeManifest } from './archive.js';
import { sha256File, type BackupManifest } from './manifest.js';
import { redactSettings } from './selection.js';
import { snapshotDataDir } from './snapshot.js';

export interface CreateOptions {
  dataDir: string;
  /** Folder the archive goes to. */
  dir: string;
  version: string;
  machine: BackupManifest['machine'];
  /** The effective configuration; saved with secrets removed. */
  settings: unknown;
  now?: () => Date;
  onProgress?: (phase: 'collecting' | 'archiving', percent: number) => void;
}

export interface CreatedBackup {
  file: string;
  bytes: number;
  sha256: string;
  manifest: BackupManifest;
}

export function archiveName(serial: string | null, at: Date): string {
  // Milliseconds included: two backups in one second (a technician's tap right after the schedule) must not collide.
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return `rvm-backup-${(serial ?? 'unknown').replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.tar.gz`;
}

export async function createBackup(opts: CreateOptions): Promise<CreatedBackup> {
  const progress = opts.onProgress ?? (() => undefined);
  const at = opts.now?.() ?? new Date();
  const staging = await mkdtemp(path.join(os.tmpdir(), 'rvm-backup-'));
  try {
    progress('collecting', 0);
    await snapshotDataDir(opts.dataDir, path.join(staging, 'data'), (done, total) => progress('collecting', Math.round((done / total) * 50)));
    await mkdir(path.join(staging, 'settings'), { recursive: true });
    await writeFile(path.join(staging, 'settings', 'config.json'), `${JSON.stringify(redactSettings(opts.settings), null, 2)}\n`);
    progress('archiving', 55);
    const manifest = await writeManifest(staging, { format: 1, version: opts.version, machine: opts.machine, createdAt: at.toISOString() });
    progress('archiving', 70);
    const file = path.join(opts.dir, archiveName(opts.machine.serialNumber, at));
    const partial = `${file}.partial`;
    await packArchive(staging, partial);
    await rename(partial, file);
    progress('archiving', 85);
    return { file, bytes: (await stat(file)).size, sha256: await sha256File(file), manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
