/**
 * A short, durable list of past events (newest last), kept in one JSON file and replaced atomically on
 * every append, so a crash leaves either the old list or the new one. Bounded: the oldest entries go
 * once `max` is reached, so the file never grows with the machine's age. Used for histories a technician
 * reads (outbox pushes, remote-access sessions), which are small and written rarely — not for credits.
 *
 * A missing or unreadable file starts an empty list: a history is information, never a reason not to start.
 */
import { readFile } from 'node:fs/promises';
import { nodeFs, replaceFileAtomic, type StorageFs } from './durable-fs.js';

export class BoundedHistory<T> {
  private entries: T[] = [];
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly max: number,
    private readonly fs: StorageFs,
  ) {}

  /** `isEntry` drops entries that do not have the expected shape (a file from an older version). */
  static async open<T>(file: string, max: number, isEntry: (value: unknown) => value is T, fs: StorageFs = nodeFs): Promise<BoundedHistory<T>> {
    const history = new BoundedHistory<T>(file, max, fs);
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (Array.isArray(parsed)) history.entries = parsed.filter(isEntry).slice(-max);
    } catch {
      // missing or damaged: start empty
    }
    return history;
  }

  /** Newest first, at most `limit`. */
  list(limit = this.max): T[] {
    return this.entries.slice(-Math.max(0, limit)).reverse();
  }

  get size(): number {
    return this.entries.length;
  }

  /** Resolves once the list with `entry` is on disk; a failed write keeps the entry in memory and rejects. */
  append(entry: T): Promise<void> {
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    const snapshot = JSON.stringify(this.entries);
    const write = this.writing.then(() => replaceFileAtomic(this.file, snapshot, this.fs));
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Waits for the writes in flight (before closing or in tests). */
  flushed(): Promise<void> {
    return this.writing;
  }
}
