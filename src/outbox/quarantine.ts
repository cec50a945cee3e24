/**
 * Copies of bad journal bytes, kept for a technician before anything is cut off or compacted away.
 *
 *   quarantine/<file>@<offset>-<crc>.damaged   a damaged line (complete line with a bad checksum, a torn tail
 *                                              inside bytes known to be committed), or a note on committed
 *                                              bytes that are gone (`…-lost<n>.damaged`, JSON)
 *   quarantine/torn/<file>@<offset>-<crc>.torn  a torn final line: a write that never completed (no alarm)
 *   quarantine/images/<name>.img               images no journal line points at, found while the journal
 *                                              was damaged (evidence of a lost credit, so not deleted)
 *
 * The name comes from where the bytes sit and what they are, so replaying the same journal twice keeps one
 * copy, not two. Each copy is fsynced (file and directory) before the caller may cut anything. The `.damaged`
 * files directly in quarantine/ are what the `corrupt_records` alarm counts: it stays raised until a
 * technician has looked and moved them into quarantine/reviewed/ (a copy found there is not made again while
 * the damaged line is still in a live segment, so the alarm does not come back at the next start).
 */
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { exists, fsyncDir, nodeFs, replaceFileAtomic, type StorageFs } from '../storage/durable-fs.js';
import type { BadLine } from './record-codec.js';

export const DAMAGED = '.damaged';

export class Quarantine {
  readonly dir: string;
  private created = new Set<string>();

  constructor(
    outboxDir: string,
    private readonly fs: StorageFs = nodeFs,
  ) {
    this.dir = path.join(outboxDir, 'quarantine');
  }

  /** Keep a copy of a damaged line of `source` (a file name in the outbox directory); returns the copy's path. */
  damaged(source: string, line: BadLine): Promise<string> {
    return this.keep(this.dir, `${source}@${line.offset}-${hash(line.bytes)}${DAMAGED}`, withNewline(line.bytes));
  }

  /** Keep a copy of a torn final line (an append that never completed). */
  torn(source: string, line: BadLine): Promise<string> {
    return this.keep(path.join(this.dir, 'torn'), `${source}@${line.offset}-${hash(line.bytes)}.torn`, withNewline(line.bytes));
  }

  /** Record that bytes known to be committed are gone (the file is shorter than its last committed-length mark). */
  lost(source: string, note: { committedBytes: number; foundBytes: number; lastSeq: number | null }): Promise<string> {
    const text = `${JSON.stringify({ file: source, ...note, lostBytes: note.committedBytes - note.foundBytes, foundAt: new Date().toISOString() })}\n`;
    return this.keep(this.dir, `${source}@${note.foundBytes}-lost${note.committedBytes - note.foundBytes}${DAMAGED}`, text);
  }

  /** Move an image out of the image store into quarantine/images (rename, then both directories fsynced). */
  async image(imagesDir: string, name: string): Promise<void> {
    const target = path.join(this.dir, 'images');
    await this.ensure(target);
    await this.fs.rename(path.join(imagesDir, name), path.join(target, name));
    await fsyncDir(target, this.fs);
    await fsyncDir(imagesDir, this.fs);
  }

  /** How many `.damaged` copies wait for a technician (0 when there is no quarantine folder). */
  async count(): Promise<number> {
    const names = await this.fs.readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return names.filter((name) => name.endsWith(DAMAGED)).length;
  }

  private async keep(dir: string, name: string, data: Buffer | string): Promise<string> {
    const file = path.join(dir, name);
    await this.ensure(dir);
    const reviewed = dir === this.dir && (await exists(path.join(this.dir, 'reviewed', name), this.fs));
    if (!reviewed && !(await exists(file, this.fs))) await replaceFileAtomic(file, data, this.fs);
    return file;
  }

  /** Create `dir` (and the quarantine folder above it) durably, once per process. */
  private async ensure(dir: string): Promise<void> {
    if (this.created.has(dir)) return;
    await this.fs.mkdir(dir);
    await fsyncDir(path.dirname(dir), this.fs);
    if (dir !== this.dir) await fsyncDir(path.dirname(this.dir), this.fs);
    this.created.add(dir);
  }
}

function hash(bytes: Buffer): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

function withNewline(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')]);
}
