/**
 * Copy the included state of a running kiosk into a staging folder, consistently. The journals are written
 * while we copy, so each entry is copied optimistically: list every file's size and mtime, copy, list again,
 * and copy the entry once more if anything changed in between (an ack, a new credit, a compaction). An outbox
 * copied half before and half after an ack could bring back a delivered credit as owed, or a committed-length
 * mark longer than the segment beside it; a copy taken while nothing moved has neither.
 */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BackupError } from './errors.js';
import { INCLUDED, isExcluded } from './selection.js';

const ATTEMPTS = 8;

export interface StagedFile {
  /** Relative to the data folder, `/`-separated. */
  relative: string;
  bytes: number;
}

/** Files under `root/entry` (or the file itself), excluded names skipped, with a change signature. */
async function listEntry(root: string, entry: string): Promise<Array<{ relative: string; bytes: number; mtimeMs: number }>> {
  const out: Array<{ relative: string; bytes: number; mtimeMs: number }> = [];
  const walk = async (relative: string): Promise<void> => {
    if (isExcluded(relative)) return;
    let info;
    try {
      info = await stat(path.join(root, relative));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // gone meanwhile: the re-list will notice
      throw err;
    }
    if (info.isFile()) out.push({ relative, bytes: info.size, mtimeMs: info.mtimeMs });
    else if (info.isDirectory()) for (const name of (await readdir(path.join(root, relative))).sort()) await walk(`${relative}/${name}`);
  };
  await walk(entry);
  return out;
}

const signature = (files: Array<{ relative: string; bytes: number; mtimeMs: number }>) => files.map((f) => `${f.relative}:${f.bytes}:${f.mtimeMs}`).join('\n');

export async function snapshotDataDir(dataDir: string, staging: string, onProgress: (done: number, total: number) => void = () => undefined): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  for (const [index, entry] of INCLUDED.entries()) {
    staged.push(...(await copyEntry(dataDir, entry, staging)));
    onProgress(index + 1, INCLUDED.length);
  }
  return staged;
}

async function copyEntry(dataDir: string, entry: string, staging: string): Promise<StagedFile[]> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const before = await listEntry(dataDir, entry);
    await rm(path.join(staging, entry), { recursive: true, force: true });
    const copied: StagedFile[] = [];
    let vanished = false;
    for (const file of before) {
      const target = path.join(staging, file.relative);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await copyFile(path.join(dataDir, file.relative), target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        vanished = true; // compacted away while copying: take the entry again
        break;
      }
      copied.push({ relative: file.relative, bytes: (await stat(target)).size });
    }
    if (!vanished && signature(await listEntry(dataDir, entry)) === signature(before)) return copied;
  }
  throw new BackupError('backup_busy', `${entry} kept changing while it was copied (${ATTEMPTS} attempts): try again in a quieter moment`);
}
