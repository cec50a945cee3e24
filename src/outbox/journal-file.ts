/**
 * One append-only journal file with group commit. `append` resolves only after the bytes are fsynced;
 * appends that arrive while a sync is running are written and synced together in the next round, so
 * concurrent callers share one fsync instead of queueing one each.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { fsyncDir } from '../storage/durable-fs.js';
import { encodeLine, parseJournal, type ParsedJournal } from './record-codec.js';

const log = createLogger('outbox');

interface Waiter {
  data: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class JournalFile {
  private queue: Waiter[] = [];
  private writing = false;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private bytes: number,
  ) {}

  /** Open (creating if needed), cut off a torn tail, and return the valid entries found. */
  static async open<T>(file: string): Promise<{ journal: JournalFile; parsed: ParsedJournal<T> }> {
    const existing = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const parsed = parseJournal<T>(existing ?? Buffer.alloc(0));
    const handle = await open(file, 'a');
    if (existing === null) await fsyncDir(path.dirname(file));
    if (parsed.tornTail) {
      log.warn('cut a torn tail off the journal', { file, bytes: parsed.tornTail.bytes.length });
      await handle.truncate(parsed.validBytes);
      await handle.sync();
    }
    return { journal: new JournalFile(file, handle, parsed.validBytes), parsed };
  }

  get size(): number {
    return this.bytes;
  }

  append(values: readonly unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.file} is closed`));
    const data = values.map(encodeLine).join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
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
        let written = 0;
        while (written < buffer.length) {
          const { bytesWritten } = await this.handle.write(buffer, written, buffer.length - written);
          written += bytesWritten;
        }
        await this.handle.sync();
        this.bytes += buffer.length;
        for (const w of round) w.resolve();
      } catch (err) {
        // Cut any partial line off so the next append starts on a clean line (ENOSPC, EIO…).
        await this.handle.truncate(this.bytes).catch(() => undefined);
        const error = err instanceof Error ? err : new Error(String(err));
        log.error('journal append failed', { file: this.file, error: error.message });
        for (const w of round) w.reject(error);
      }
    }
    this.writing = false;
  }
}
