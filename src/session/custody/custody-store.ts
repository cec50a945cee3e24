/**
 * The custody journal: `<dataDir>/custody/custody.jnl`, one line per event, `<crc32, 8 hex> <JSON>\n` like
 * the outbox's journals (readable with `less`). An `open` line is the decision to send an item to a bin,
 * written and fsynced before the gate moves; a `close` line says how it ended (credited, not dropped, wrong
 * bin, unconfirmed). Replaying the file gives the records still open — what a restart must reconcile with
 * the controller — and the ids already closed, which a late or replayed DROP can never credit again.
 *
 * Closed ids are kept for `retentionMs` (30 days by default; bounded by `maxClosed` too): the file is
 * rewritten atomically (temp file, fsync, rename, directory fsync) when it grows past `compactBytes`,
 * keeping the open records and the closed ids still within retention. A torn last line (power lost
 * mid-append: its fsync never returned, so nobody acted on it) is cut off; a damaged line elsewhere is
 * skipped and counted, never thrown.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { CustodyRecord } from '../../domain/ports.js';
import { createLogger } from '../../log/logger.js';
import { fsyncDir, replaceFileAtomic } from '../../storage/durable-fs.js';

const log = createLogger('custody');
const FILE = 'custody.jnl';

/** How a custody record was closed. Only `credited` means a credit exists (in the CreditStore). */
export type CloseOutcome = 'credited' | 'not_dropped' | 'wrong_bin' | 'unconfirmed';

type OpenLine = { t: 'open' } & CustodyRecord;
type CloseLine = { t: 'close'; id: string; outcome: CloseOutcome; at: string };
type Line = OpenLine | CloseLine;

export interface CustodyStore {
  /** Records opened and not closed, oldest first. */
  openRecords(): CustodyRecord[];
  /** The open record of this item, if it is open. */
  find(itemId: string): CustodyRecord | undefined;
  /** Whether this item id was closed (within the retention). */
  closedOutcome(itemId: string): CloseOutcome | null;
  /** Durably journal an open record (fsync). */
  open(record: CustodyRecord): Promise<void>;
  /** Durably journal how a record ended (fsync). */
  close(itemId: string, outcome: CloseOutcome): Promise<void>;
  /** Lines skipped as damaged when the journal was read. */
  readonly damagedLines: number;
  dispose(): Promise<void>;
}

export interface StoreOptions {
  retentionMs?: number;
  maxClosed?: number;
  /** Rewrite the file once it is larger than this. */
  compactBytes?: number;
  now?: () => number;
}

const DEFAULTS = { retentionMs: 30 * 24 * 3600_000, maxClosed: 200_000, compactBytes: 512 * 1024 };

/** The in-memory state both stores share: open records and closed ids with their close time. */
class CustodyState {
  readonly open = new Map<string, CustodyRecord>();
  readonly closed = new Map<string, { outcome: CloseOutcome; at: number }>();

  apply(line: Line): void {
    if (line.t === 'open') {
      if (!this.closed.has(line.itemId)) {
        const { t: _t, ...record } = line;
        this.open.set(line.itemId, record);
      }
      return;
    }
    this.open.delete(line.id);
    this.closed.delete(line.id);
    this.closed.set(line.id, { outcome: line.outcome, at: Date.parse(line.at) || 0 });
  }

  /** Forget closed ids past the retention, and the oldest beyond the cap. */
  prune(now: number, retentionMs: number, maxClosed: number): void {
    for (const [id, { at }] of this.closed) {
      if (now - at <= retentionMs && this.closed.size <= maxClosed) break; // oldest first: the rest are newer
      this.closed.delete(id);
    }
  }

  lines(): Line[] {
    const out: Line[] = [];
    for (const [id, { outcome, at }] of this.closed) out.push({ t: 'close', id, outcome, at: new Date(at).toISOString() });
    for (const record of this.open.values()) out.push({ t: 'open', ...record });
    return out;
  }
}

export function encodeCustodyLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

function decode(line: Buffer): Line | null {
  if (line.length < 10 || line[8] !== 0x20) return null;
  const hex = line.subarray(0, 8).toString('latin1');
  if (!/^[0-9a-f]{8}$/.test(hex)) return null;
  const body = line.subarray(9);
  if (crc32(body) !== Number.parseInt(hex, 16)) return null;
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<Line>;
    if (value.t === 'open' && typeof value.itemId === 'string' && typeof value.bin === 'string') return value as OpenLine;
    if (value.t === 'close' && typeof value.id === 'string' && typeof value.outcome === 'string') return value as CloseLine;
    return null;
  } catch {
    return null;
  }
}

/** The reads both stores answer the same way from their replayed state. */
abstract class CustodyReads {
  protected abstract readonly state: CustodyState;

  openRecords(): CustodyRecord[] {
    return [...this.state.open.values()];
  }

  find(itemId: string): CustodyRecord | undefined {
    return this.state.open.get(itemId);
  }

  closedOutcome(itemId: string): CloseOutcome | null {
    return this.state.closed.get(itemId)?.outcome ?? null;
  }
}

export class FileCustodyStore extends CustodyReads implements CustodyStore {
  private turn: Promise<unknown> = Promise.resolve();
  private closedForGood = false;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private bytes: number,
    protected readonly state: CustodyState,
    readonly damagedLines: number,
    private readonly options: Required<StoreOptions>,
  ) {
    super();
  }

  static async open(dir: string, options: StoreOptions = {}): Promise<FileCustodyStore> {
    const settings: Required<StoreOptions> = { ...DEFAULTS, now: Date.now, ...options };
    await mkdir(dir, { recursive: true });
    // A fresh directory's entry must be durable before any record in it is.
    await fsyncDir(path.dirname(dir));
    const file = path.join(dir, FILE);
    const data = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const state = new CustodyState();
    let damaged = 0;
    let start = 0;
    const buffer = data ?? Buffer.alloc(0);
    while (start < buffer.length) {
      const end = buffer.indexOf(0x0a, start);
      if (end < 0) break;
      const line = decode(buffer.subarray(start, end));
      if (line) state.apply(line);
      else damaged += 1;
      start = end + 1;
    }
    const handle = await open(file, 'a');
    if (data === null) await fsyncDir(dir);
    if (start < buffer.length) {
      log.warn('cut a torn tail off the custody journal', { file, bytes: buffer.length - start });
      await handle.truncate(start);
      await handle.sync();
    }
    if (damaged > 0) log.error('damaged lines in the custody journal were skipped', { file, damaged });
    const store = new FileCustodyStore(file, handle, start, state, damaged, settings);
    await store.compactIfLarge();
    const open_ = state.open.size;
    if (open_ > 0) log.info('custody journal opened with open records', { open: open_, closed: state.closed.size });
    return store;
  }

  open(record: CustodyRecord): Promise<void> {
    return this.append({ t: 'open', ...record });
  }

  close(itemId: string, outcome: CloseOutcome): Promise<void> {
    return this.append({ t: 'close', id: itemId, outcome, at: new Date(this.options.now()).toISOString() });
  }

  async dispose(): Promise<void> {
    this.closedForGood = true;
    await this.turn.catch(() => undefined);
    await this.handle.close();
  }

  /** One line at a time, each written and fsynced before the next (a record a caller was told is durable, is). */
  private append(line: Line): Promise<void> {
    const run = this.turn.then(async () => {
      if (this.closedForGood) throw new Error('the custody journal is closed');
      const buffer = Buffer.from(encodeCustodyLine(line), 'utf8');
      try {
        let written = 0;
        while (written < buffer.length) written += (await this.handle.write(buffer, written, buffer.length - written)).bytesWritten;
        await this.handle.sync();
      } catch (err) {
        // Cut a partial line off so the next append starts clean (ENOSPC, EIO…).
        await this.handle.truncate(this.bytes).catch(() => undefined);
        throw err;
      }
      this.bytes += buffer.length;
      this.state.apply(line);
      await this.compactIfLarge().catch((err: unknown) => log.warn('custody journal compaction failed', { error: String(err) }));
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async compactIfLarge(): Promise<void> {
    if (this.bytes <= this.options.compactBytes) return;
    this.state.prune(this.options.now(), this.options.retentionMs, this.options.maxClosed);
    const text = this.state.lines().map(encodeCustodyLine).join('');
    // The old handle stays valid until the new file is in place (a failed rewrite leaves it in use).
    await replaceFileAtomic(this.file, text);
    await this.handle.close();
    this.handle = await open(this.file, 'a');
    this.bytes = Buffer.byteLength(text);
    log.info('custody journal compacted', { open: this.state.open.size, closed: this.state.closed.size, bytes: this.bytes });
  }
}

/** The same store without a disk: for unit tests, where a "restart" is a new custody over the same store. */
export class MemoryCustodyStore extends CustodyReads implements CustodyStore {
  readonly damagedLines = 0;
  readonly lines: Line[] = [];
  /** Set to make the next writes fail, as a full disk would. */
  failWrites: Error | null = null;
  protected readonly state = new CustodyState();

  async open(record: CustodyRecord): Promise<void> {
    this.write({ t: 'open', ...record });
  }

  async close(itemId: string, outcome: CloseOutcome): Promise<void> {
    this.write({ t: 'close', id: itemId, outcome, at: new Date().toISOString() });
  }

  async dispose(): Promise<void> {}

  private write(line: Line): void {
    if (this.failWrites) throw this.failWrites;
    this.lines.push(line);
    this.state.apply(line);
  }
}
