/**
 * The few filesystem steps durability depends on. A write is only on disk after fsync of the file, and a
 * newly created (or renamed, or deleted) name is only on disk after fsync of its directory: ext4 and most
 * other filesystems can lose a fresh directory entry on power loss even when the file's data was synced.
 *
 * Every function takes an optional `StorageFs` (default: the real one, `nodeFs`). It is the seam through which
 * tests inject faults a real disk produces rarely — ENOSPC half-way through a write, EIO on fsync — without
 * root-only tricks like a tiny loop-mounted filesystem.
 */
import { mkdir, open, readdir, readFile, rename, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The part of an open file the durable writers use. */
export interface StorageHandle {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  writeFile(data: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** The filesystem calls the durable store makes; `nodeFs` is the real one. */
export interface StorageFs {
  /** 'r' read-only (for directory fsync), 'a' append (create), 'w' create or truncate. */
  open(file: string, flags: 'r' | 'a' | 'w'): Promise<StorageHandle>;
  readFile(file: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Recursive; no error when it exists. */
  mkdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  /** Bytes an unprivileged writer can still use on the filesystem holding `dir`. */
  freeBytes(dir: string): Promise<number>;
}

export const nodeFs: StorageFs = {
  open: (file, flags) => open(file, flags),
  readFile: (file) => readFile(file),
  rename: (from, to) => rename(from, to),
  unlink: (file) => unlink(file),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  readdir: (dir) => readdir(dir),
  freeBytes: async (dir) => {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  },
};

export async function fsyncDir(dir: string, fs: StorageFs = nodeFs): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Create or replace `file` with `data`, durably: data fsynced before close, directory fsynced after. */
export async function writeFileDurable(file: string, data: Uint8Array | string, fs: StorageFs = nodeFs): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(path.dirname(file), fs);
}

/**
 * Replace `file` atomically: a reader (or a reboot) sees either the old content or the new, never a mix.
 * The temporary file is synced before the rename, the directory after it. If any step before the rename
 * fails (a full disk half-way through the data, an fsync error), the partial temporary file is removed: a
 * failed write must not keep eating the space that made it fail.
 */
export async function replaceFileAtomic(file: string, data: Uint8Array | string, fs: StorageFs = nodeFs): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await removeIfPresent(tmp, fs).catch(() => undefined);
    throw err;
  }
  await fsyncDir(path.dirname(file), fs);
}

/** Unlink, treating "already gone" as success (deletes are retried after a crash). */
export async function removeIfPresent(file: string, fs: StorageFs = nodeFs): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Whether `file` exists (any error other than "not found" is thrown). */
export async function exists(file: string, fs: StorageFs = nodeFs): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'r');
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** ENOSPC / EDQUOT: the disk (or the user's quota) is full, as opposed to an I/O error. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
