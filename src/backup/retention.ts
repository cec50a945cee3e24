/** The archives in the backup folder, newest first, and the pruning that keeps the newest N. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { removeIfPresent } from '../storage/durable-fs.js';

const ARCHIVE = /^rvm-backup-.+\.tar\.gz$/;

export interface ArchiveInfo {
  file: string;
  name: string;
  bytes: number;
  /** Modification time, epoch ms. */
  at: number;
}

export async function listArchives(dir: string): Promise<ArchiveInfo[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ArchiveInfo[] = [];
  for (const name of names.filter((n) => ARCHIVE.test(n))) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info?.isFile()) out.push({ file: path.join(dir, name), name, bytes: info.size, at: info.mtimeMs });
  }
  // Names carry the creation time, so they sort in time order even after a copy reset the mtimes.
  return out.sort((a, b) => b.name.localeCompare(a.name));
}

/** Delete all but the newest `keep` archives (and stale `.partial` files from a cut-off run). */
export async function prune(dir: string, keep: number): Promise<string[]> {
  const removed: string[] = [];
  for (const old of (await listArchives(dir)).slice(keep)) {
    await removeIfPresent(old.file);
    removed.push(old.name);
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) if (name.endsWith('.tar.gz.partial')) await removeIfPresent(path.join(dir, name));
  return removed;
}
