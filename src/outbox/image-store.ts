/**
 * Item images live beside the journal, one file each, so the journal stays small and fast to replay. An
 * image is written and fsynced (file and directory) BEFORE the journal line that points at it, so a
 * durable record never points at a missing image. A crash between the two leaves an orphan image, which
 * `removeOrphans` deletes on the next start. An image is written under a temporary name and renamed into
 * place, and a failed write (a full disk half-way through) removes its partial file at once, so failures do
 * not eat the space that is left.
 *
 * For the upload an image is not read into memory: `open` checks it chunk by chunk (size and CRC, so a
 * damaged photo is never sent as the item's evidence) and hands over a file-backed Blob that the HTTP client
 * streams from disk.
 */
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { nodeFs, removeIfPresent, replaceFileAtomic, type StorageFs } from '../storage/durable-fs.js';

export interface ImageRef {
  file: string;
  bytes: number;
  crc: number;
}

export class ImageStore {
  constructor(
    readonly dir: string,
    private readonly fs: StorageFs = nodeFs,
  ) {}

  async init(): Promise<void> {
    await this.fs.mkdir(this.dir);
  }

  /** File name from the record id, hashed so any id string is a safe name. */
  fileFor(id: string): string {
    return `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.img`;
  }

  async write(id: string, image: Buffer): Promise<ImageRef> {
    const file = this.fileFor(id);
    await replaceFileAtomic(path.join(this.dir, file), image, this.fs);
    return { file, bytes: image.length, crc: crc32(image) };
  }

  /** The image, or null when it is missing or does not match its checksum. */
  async read(ref: ImageRef): Promise<Buffer | null> {
    try {
      const data = await this.fs.readFile(path.join(this.dir, ref.file));
      return data.length === ref.bytes && crc32(data) === ref.crc ? data : null;
    } catch {
      return null;
    }
  }

  /**
   * The image as a file-backed Blob (nothing read into memory but one chunk at a time), or null when it is
   * missing or does not match its size and checksum. The Blob refuses to be read if the file changes after.
   */
  async open(ref: ImageRef): Promise<Blob | null> {
    try {
      const blob = await openAsBlob(path.join(this.dir, ref.file));
      if (blob.size !== ref.bytes) return null;
      let crc = 0;
      for await (const chunk of blob.stream()) crc = crc32(chunk, crc);
      return crc === ref.crc ? blob : null;
    } catch {
      return null;
    }
  }

  remove(ref: ImageRef): Promise<void> {
    return removeIfPresent(path.join(this.dir, ref.file), this.fs);
  }

  /**
   * Image files no live record points at. `keep` decides per image: when the journal was found damaged an
   * orphan may be the only trace of a lost credit, so the caller moves it to quarantine instead. Leftover
   * temporary files are always deleted. Returns how many orphans were found.
   */
  async removeOrphans(live: ReadonlySet<string>, keep?: (name: string) => Promise<void>): Promise<number> {
    let found = 0;
    for (const name of await this.fs.readdir(this.dir)) {
      if (live.has(name)) continue;
      if (keep && name.endsWith('.img')) await keep(name);
      else await removeIfPresent(path.join(this.dir, name), this.fs);
      found += 1;
    }
    return found;
  }
}
