/**
 * One append-only journal file with group commit. `append` resolves only after the bytes are fsynced;
 * appends that arrive while a sync is running are written and synced together in the next round, so
 * concurrent callers share one fsync instead of queueing one each.
 */
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { fsyncDir, isDiskFull, nodeFs, type StorageFs, type StorageHandle } from '../storage/durable-fs.js';
import { encodeLine, parseJournal, type ParsedJournal } from './record-codec.js';

const log = createLogger('outbox');

/**
 * What to do with a torn tail found on open: `truncate` it (the caller has kept a copy), or `seal` it — end
 * it with a newline so it stays in the file as a damaged line and new lines start clean. Sealing is the
 * default: bytes are never cut off unless someone said a copy exists.
 */
export type TailAction = 'truncate' | 'seal';

export interface OpenOptions<T> {
  fs?: StorageFs;
  /** Called with what was found before anything is changed: keep copies of bad bytes, then decide about the tail. */
  settle?: (parsed: ParsedJournal<T>, data: Buffer) => Promise<TailAction>;
  /** An append failed with ENOSPC: free some space if possible; true means "try once more". */
  onDiskFull?: () => Promise<boolean>;
}

interface Waiter {
  data: string;
  tag: number | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class JournalFile {
  private queue: Waiter[] = [];
  private writing = false;
  private closed = false;
  /** A failed append left bytes past `bytes` that could not be cut off yet: cut them before writing again. */
  private dirty = false;
  private tag = 0;

  private constructor(
    readonly file: string,
    private readonly handle: StorageHandle,
    private bytes: number,
    private readonly onDiskFull: (() => Promise<boolean>) | undefined,
  ) {}

  /**
   * Open (creating if needed) and return the entries found. A torn tail is cut off only when `settle` says
   * so (after keeping a copy); otherwise it is sealed with a newline. Damaged complete lines stay in place.
   */
  static async open<T>(file: string, options: OpenOptions<T> = {}): Promise<{ journal: JournalFile; parsed: ParsedJournal<T> }> {
    const fs = options.fs ?? nodeFs;
    const existing = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const parsed = parseJournal<T>(existing ?? Buffer.alloc(0));
    const action = options.settle ? await options.settle(parsed, existing ?? Buffer.alloc(0)) : 'seal';
    const handle = await fs.open(file, 'a');
    try {
      if (existing === null) await fsyncDir(path.dirname(file), fs);
      let bytes = parsed.validBytes;
      if (parsed.tornTail && action === 'truncate') {
        log.warn('cut a torn tail off the journal (a copy is in quarantine)', { file, bytes: parsed.tornTail.bytes.length });
        await handle.truncate(parsed.validBytes);
        await handle.sync();
      } else if (parsed.tornTail) {
        log.error('sealed a torn tail in the journal with a newline (no copy could be kept)', { file, bytes: parsed.tornTail.bytes.length });
        const seal = async () => {
          await writeAll(handle, Buffer.from('\n'));
          await handle.sync();
        };
        await seal().catch(async (err: unknown) => {
          if (!isDiskFull(err) || !(await options.onDiskFull?.())) throw err;
          await seal();
        });
        bytes = (existing?.length ?? 0) + 1;
      }
      return { journal: new JournalFile(file, handle, bytes, options.onDiskFull), parsed };
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes known to be on disk (fsynced). */
  get size(): number {
    return this.bytes;
  }

  /** The highest `tag` among the appends inside `size` (the caller's sequence number; 0 before any). */
  get committedTag(): number {
    return this.tag;
  }

  /** Set `committedTag` for lines that were already in the file when it was opened. */
  adoptTag(tag: number): void {
    this.tag = Math.max(this.tag, tag);
  }

  /** Append lines; resolves once they are fsynced. `tag`: a number the caller wants `committedTag` to follow. */
  append(values: readonly unknown[], tag?: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.file} is closed`));
    const data = values.map(encodeLine).join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ data, tag, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await new Promise((r) => setTimeout(r, 5));
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const round = this.queue.splice(0);
      const buffer = Buffer.from(round.map((w) => w.data).join(''), 'utf8');
      try {
        try {
          await this.writeRound(buffer);
        } catch (err) {
          // A full disk: free the reserve (if the owner has one) and try this round once more.
          if (!isDiskFull(err) || !(await this.cutBack()) || !(await this.onDiskFull?.())) throw err;
          await this.writeRound(buffer);
        }
        this.bytes += buffer.length;
        for (const w of round) if (w.tag !== undefined) this.tag = Math.max(this.tag, w.tag);
        for (const w of round) w.resolve();
      } catch (err) {
        await this.cutBack();
        const error = err instanceof Error ? err : new Error(String(err));
        log.error('journal append failed', { file: this.file, error: error.message });
        for (const w of round) w.reject(error);
      }
    }
    this.writing = false;
  }

  private async writeRound(buffer: Buffer): Promise<void> {
    if (this.dirty && !(await this.cutBack())) {
      // The last failed append's partial bytes are still there: a new line would be glued to them.
      throw Object.assign(new Error(`journal ${this.file}: could not cut off a failed append`), { code: 'EIO' });
    }
    this.dirty = true; // until the round is synced, bytes past `this.bytes` may be partial
    await writeAll(this.handle, buffer);
    await this.handle.sync();
    this.dirty = false;
  }

  /**
   * Cut the file back to its last synced length, so the next append starts on a clean line (after ENOSPC,
   * EIO…). If even that fails, `dirty` stays set and no line is written until a later cut succeeds.
   */
  private async cutBack(): Promise<boolean> {
    if (!this.dirty) return true;
    try {
      await this.handle.truncate(this.bytes);
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}

async function writeAll(handle: StorageHandle, buffer: Buffer): Promise<void> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    written += bytesWritten;
  }
}
