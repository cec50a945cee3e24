/**
 * Item images live beside the journal, one file each, so the journal stays small and fast to replay. An
 * image is written and fsynced (file and directory) BEFORE the journal line that points at it, so a
 * durable record never points at a missing image. A crash between the two leaves an orphan image, which
 * `removeOrphans` deletes on the next start.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { removeIfPresent, writeFileDurable } from '../storage/durable-fs.js';

export interface ImageRef {
  file: string;
  bytes: number;
  crc: number;
}

export class ImageStore {
  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** File name from the record id, hashed so any id string is a safe name. */
  fileFor(id: string): string {
    return `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.img`;
  }

  async write(id: string, image: Buffer): Promise<ImageRef> {
    const file = this.fileFor(id);
    await writeFileDurable(path.join(this.dir, file), image);
    return { file, bytes: image.length, crc: crc32(image) };
  }

  /** The image, or null when it is missing or does not match its checksum. */
  async read(ref: ImageRef): Promise<Buffer | null> {
    try {
      const data = await readFile(path.join(this.dir, ref.file));
      return data.length === ref.bytes && crc32(data) === ref.crc ? data : null;
    } catch {
      return null;
    }
  }

  remove(ref: ImageRef): Promise<void> {
    return removeIfPresent(path.join(this.dir, ref.file));
  }

  /** Delete image files no live record points at; returns how many went. */
  async removeOrphans(live: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (live.has(name)) continue;
      await removeIfPresent(path.join(this.dir, name));
      removed += 1;
    }
    return removed;
  }
}
