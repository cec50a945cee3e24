/**
 * The operator log: one JSON object per line in <dir>/operator.jsonl, so "my bottle didn't count" is answered
 * with grep or jq instead of reading the developer log. It knows nothing of sessions or the bus (see
 * src/app/setup-operator-log.ts); it only stamps each record with `t` (ISO time) and appends it.
 *
 * Rotation by size: before a line would take the file past `maxBytes`, operator.jsonl becomes operator.jsonl.1
 * (.1 → .2 …, the oldest beyond `files - 1` is overwritten), so the log never holds more than
 * `files × maxBytes`. `rvm-kiosk export-logs` copies all of them (main/cli/export-logs.ts).
 *
 * Retention by age (`maxAgeMs`): lines older than that are removed — a file whose newest line is older is deleted,
 * a file that merely starts with old lines is rewritten without them (atomically). Judged by each line's own `t`,
 * at the first write and then at most once per `pruneEveryMs` (an hour), in the same queue as the appends, so a
 * quiet kiosk's single file ages out too and "keep 30 days" holds to within that hour.
 *
 * Writes are queued and appended in order without an fsync per line: a line is in the kernel's cache as soon
 * as its write returns, which survives a crash of the kiosk (not a power cut); close() fsyncs. A log must
 * never take the kiosk down, so nothing here throws into a caller: a failing disk drops the queued lines and
 * says so in at most one developer-log line per `reportEveryMs`, with the count dropped; the next line tries
 * the file again. A line cut short by a full disk is ended with a newline first, so the lines after it parse.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { nodeFs, replaceFileAtomic, type StorageFs, type StorageHandle } from '../storage/durable-fs.js';
import { createLogger } from './logger.js';

const log = createLogger('operator-log');

export const OPERATOR_LOG_FILE = 'operator.jsonl';

export interface OperatorLogOptions {
  dir: string;
  maxBytes: number;
  /** Files kept, the current one included (1: the file is emptied when full). */
  files: number;
  fs?: StorageFs;
  now?: () => number;
  /** Lines held while the disk is slow; more are dropped (and counted) rather than growing memory. */
  maxPending?: number;
  /** Least time between two "cannot write" lines in the developer log. */
  reportEveryMs?: number;
  /** Lines older than this are removed (0 or absent: kept until rotated out by size). */
  maxAgeMs?: number;
  /** Least time between two age checks (default one hour). */
  pruneEveryMs?: number;
}

export class OperatorLog {
  readonly file: string;
  private readonly fs: StorageFs;
  private readonly now: () => number;
  private readonly maxPending: number;
  private readonly reportEveryMs: number;
  private pending: string[] = [];
  private draining: Promise<void> | null = null;
  private handle: StorageHandle | null = null;
  private size = 0;
  private closed = false;
  /** The last write stopped part-way through a line: the next one starts with a newline. */
  private cutLine = false;
  private dropped = 0;
  private failing = false;
  private reportedAt = Number.NEGATIVE_INFINITY;
  private nextPruneAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: OperatorLogOptions) {
    this.file = path.join(options.dir, OPERATOR_LOG_FILE);
    this.fs = options.fs ?? nodeFs;
    this.now = options.now ?? Date.now;
    this.maxPending = options.maxPending ?? 1000;
    this.reportEveryMs = options.reportEveryMs ?? 60_000;
  }

  /** Queue one record; returns at once and never throws. */
  write(record: Record<string, unknown>): void {
    if (this.closed) return;
    try {
      if (this.pending.length >= this.maxPending) {
        this.lost(new Error(`more than ${this.maxPending} lines waiting for the disk`), 1);
        return;
      }
      this.pending.push(`${JSON.stringify({ t: new Date(this.now()).toISOString(), ...record })}\n`);
      this.drain();
    } catch (err) {
      this.lost(err, 1); // a record JSON cannot encode (a BigInt, a cycle)
    }
  }

  /** Resolves once every line queued so far is written or dropped. */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Write what is queued, fsync and close the file. Later writes are ignored. Never rejects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushed();
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    await handle.sync().catch((err: unknown) => this.lost(err, 0));
    await handle.close().catch(() => undefined);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = this.run().finally(() => {
      this.draining = null;
      // A line queued between the loop's last check and here would otherwise wait for the next write.
      if (this.pending.length > 0) this.drain();
    });
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      try {
        await this.append(this.pending[0]!);
        this.pending.shift();
        if (this.failing) this.recovered();
      } catch (err) {
        const lost = this.pending.length;
        this.pending = [];
        await this.dropHandle();
        this.lost(err, lost);
      }
    }
  }

  private async append(line: string): Promise<void> {
    const maxAgeMs = this.options.maxAgeMs ?? 0;
    if (maxAgeMs > 0 && this.now() >= this.nextPruneAt) {
      this.nextPruneAt = this.now() + (this.options.pruneEveryMs ?? 3_600_000);
      // Hourly at most, so this is its own rate limit; a failed prune costs no line, it is tried again later.
      await this.prune(this.now() - maxAgeMs).catch((err: unknown) => log.warn('operator log: cannot remove old lines', { file: this.file, error: err instanceof Error ? err.message : String(err) }));
    }
    const bytes = Buffer.from(this.cutLine ? `\n${line}` : line);
    if (!this.handle) await this.open();
    if (this.size > 0 && this.size + bytes.length > this.options.maxBytes) await this.rotate();
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle!.write(bytes, done, bytes.length - done);
        if (bytesWritten <= 0) throw new Error(`short write to ${this.file}`);
        done += bytesWritten;
        this.size += bytesWritten;
      }
    } finally {
      if (done > 0) this.cutLine = done < bytes.length;
    }
  }

  private async open(): Promise<void> {
    await this.fs.mkdir(this.options.dir);
    this.handle = await this.fs.open(this.file, 'a');
    this.size = await stat(this.file).then((s) => s.size, () => 0);
  }

  private async rotate(): Promise<void> {
    await this.dropHandle();
    for (let k = this.options.files - 1; k >= 1; k -= 1) {
      const from = k === 1 ? this.file : `${this.file}.${k - 1}`;
      await this.fs.rename(from, `${this.file}.${k}`).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err; // fewer files than kept so far
      });
    }
    // With one file there is nothing to rename into: start it over.
    this.handle = await this.fs.open(this.file, this.options.files === 1 ? 'w' : 'a');
    this.size = 0;
    this.cutLine = false;
  }

  /** Remove the lines older than `cutoff` (epoch ms) from every kept file, the current one included. */
  private async prune(cutoff: number): Promise<void> {
    for (let k = 0; k < this.options.files; k += 1) {
      const file = k === 0 ? this.file : `${this.file}.${k}`;
      const text = await this.fs.readFile(file).then(
        (buffer) => buffer.toString('utf8'),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw err;
        },
      );
      if (text === null) continue;
      const lines = text.split('\n').filter(Boolean);
      const kept = lines.filter((l) => !(lineTime(l) < cutoff)); // a line without a readable time is kept
      if (kept.length === lines.length) continue;
      if (k === 0) await this.dropHandle(); // reopened (and its size read again) by the next append
      if (kept.length === 0) await this.fs.unlink(file);
      else await replaceFileAtomic(file, `${kept.join('\n')}\n`, this.fs);
      if (k === 0) this.cutLine = false;
    }
  }

  private async dropHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private lost(err: unknown, lines: number): void {
    this.dropped += lines;
    this.failing = true;
    const now = this.now();
    if (now - this.reportedAt < this.reportEveryMs) return;
    this.reportedAt = now;
    log.warn('operator log: cannot write; lines dropped', { file: this.file, dropped: this.dropped, error: err instanceof Error ? err.message : String(err) });
    this.dropped = 0;
  }

  private recovered(): void {
    this.failing = false;
    log.info('operator log: writing again', { file: this.file, droppedSinceLastReport: this.dropped });
    this.dropped = 0;
  }
}

/** The epoch ms of a line's `t`, or NaN when the line is cut short or not ours. */
function lineTime(line: string): number {
  const t = /^\{"t":"([^"]+)"/.exec(line)?.[1];
  return t ? Date.parse(t) : Number.NaN;
}
