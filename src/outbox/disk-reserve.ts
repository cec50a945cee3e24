/**
 * A few hundred KiB of the data disk set aside for the journals. When a journal write fails because the disk
 * is full, the reserve file is deleted and the write tried once more: the credit of an item already in the
 * bin is still recorded, and the ack of a credit the server already has is still journaled (instead of the
 * credit being sent again on every retry). Using the reserve raises `write_failed` (out of service) until
 * the reserve can be written back, which needs the disk to have room again.
 *
 * The file is written with real zeros and fsynced, so its blocks are allocated, not sparse.
 */
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { exists, fsyncDir, nodeFs, removeIfPresent, replaceFileAtomic, type StorageFs } from '../storage/durable-fs.js';

const log = createLogger('outbox');
export const RESERVE_FILE = 'reserve.bin';

export class DiskReserve {
  private present = false;
  private readonly file: string;

  constructor(
    dir: string,
    private readonly bytes: number,
    private readonly fs: StorageFs = nodeFs,
  ) {
    this.file = path.join(dir, RESERVE_FILE);
  }

  /** True while the reserve is missing (used up, or never written because the disk had no room). */
  get inUse(): boolean {
    return this.bytes > 0 && !this.present;
  }

  /** Find or write the reserve; false (logged) when the disk has no room for it. */
  async restore(): Promise<boolean> {
    if (this.bytes === 0 || this.present) return true;
    try {
      if (!(await exists(this.file, this.fs))) await replaceFileAtomic(this.file, Buffer.alloc(this.bytes), this.fs);
      this.present = true;
      return true;
    } catch (err) {
      log.warn('could not write the outbox disk reserve', { error: String(err) });
      return false;
    }
  }

  /** Give the reserve back to the filesystem; true when space was freed (so a failed write is worth one retry). */
  async release(): Promise<boolean> {
    if (!this.present) return false;
    this.present = false;
    try {
      await removeIfPresent(this.file, this.fs);
      await fsyncDir(path.dirname(this.file), this.fs);
      log.error('disk full: released the outbox disk reserve to finish a journal write', { bytes: this.bytes });
      return true;
    } catch (err) {
      log.error('could not release the outbox disk reserve', { error: String(err) });
      return false;
    }
  }
}
