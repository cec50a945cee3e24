/**
 * The few filesystem steps durability depends on. A write is only on disk after fsync of the file, and a
 * newly created (or renamed, or deleted) name is only on disk after fsync of its directory: ext4 and most
 * other filesystems can lose a fresh directory entry on power loss even when the file's data was synced.
 */
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Create or replace `file` with `data`, durably: data fsynced before close, directory fsynced after. */
export async function writeFileDurable(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(path.dirname(file));
}

/**
 * Replace `file` atomically: a reader (or a reboot) sees either the old content or the new, never a mix.
 * The temporary file is synced before the rename, the directory after it.
 */
export async function replaceFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** Unlink, treating "already gone" as success (deletes are retried after a crash). */
export async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
