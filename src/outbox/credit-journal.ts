/**
 * The durable credit store: credit lines in append-only segments, acks and permanent failures in a status
 * journal, images in their own files. Replaying both journals on open rebuilds the set of records still
 * owed to the server. Segments whose every record is acknowledged are deleted (compaction), and the status
 * journal is rewritten atomically when most of it describes deleted segments, so disk use tracks the
 * backlog, not the machine's lifetime.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CreditRecord } from '../domain/ports.js';
import { describeZodError } from '../core/describe-error.js';
import { createLogger } from '../log/logger.js';
import { fsyncDir, removeIfPresent } from '../storage/durable-fs.js';
import { ImageStore } from './image-store.js';
import { CreditLine, StatusLine, type StoredCredit } from './journal-entries.js';
import { JournalFile } from './journal-file.js';
import { replayJournals } from './journal-replay.js';
import { segmentName } from './segment-files.js';
import { rewriteStatusJournal } from './status-rewrite.js';

const log = createLogger('outbox');
const STATUS_FILE = 'status.jnl';

export class CreditJournal {
  private readonly items = new Map<string, StoredCredit>();
  private readonly inFlight = new Map<string, Promise<StoredCredit>>();
  /** Per live segment, how many of its records are not yet acknowledged. */
  private readonly unresolved = new Map<number, number>();
  /** Acked ids whose credit lines still sit in a live segment (they must stay acked across restarts). */
  private readonly liveAcked = new Map<string, number>();
  /** Per segment, appends enqueued but not yet fsynced: such a segment must not be compacted away. */
  private readonly writing = new Map<number, number>();
  private current!: { n: number; journal: JournalFile };
  private status!: JournalFile;
  private nextSeq = 1;
  private pushed = 0;
  private failed = 0;
  private corrupt = 0;
  private lineTurn: Promise<void> = Promise.resolve();
  private statusTurn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly segmentMaxBytes: number,
    private readonly statusRewriteBytes: number,
    private readonly images: ImageStore,
  ) {}

  /** `statusRewriteBytes`: the status journal is considered for rewriting only past this size. */
  static async open(dir: string, segmentMaxBytes: number, statusRewriteBytes = 64 * 1024): Promise<CreditJournal> {
    // A fresh install creates these directories: their entries must be durable before any record is.
    await mkdir(dir, { recursive: true });
    await fsyncDir(path.dirname(dir));
    const images = new ImageStore(path.join(dir, 'images'));
    await images.init();
    await fsyncDir(dir);
    const journal = new CreditJournal(dir, segmentMaxBytes, statusRewriteBytes, images);
    await journal.load();
    return journal;
  }

  get pushedTotal(): number {
    return this.pushed;
  }
  get corruptLines(): number {
    return this.corrupt;
  }
  get failedCount(): number {
    return this.failed;
  }
  get size(): number {
    return this.items.size;
  }

  /** Records still owed, pending and failed, in the order they were recorded. */
  list(): IterableIterator<StoredCredit> {
    return this.items.values();
  }

  /** Durably store one credit. Resolves after fsync; a second call with the same pending id is a no-op. */
  append(credit: CreditRecord): Promise<StoredCredit> {
    const known = this.items.get(credit.id) ?? this.inFlight.get(credit.id);
    if (known) return Promise.resolve(known);
    const seq = this.nextSeq++;
    const myTurn = this.lineTurn;
    let release!: () => void;
    this.lineTurn = new Promise<void>((resolve) => (release = resolve));
    const work = (async () => {
      try {
        // Images are written in parallel; journal lines are queued strictly in seq order.
        const image = credit.image ? await this.images.write(credit.id, credit.image) : undefined;
        await myTurn;
        const segment = await this.writableSegment();
        const { image: _bytes, ...fields } = credit;
        // Validate before writing: a line that would not replay would be a credit lost at the next start.
        const checked = CreditLine.safeParse({ t: 'credit', seq, ...fields, recordedAt: new Date().toISOString(), ...(image ? { image } : {}) });
        if (!checked.success) throw new Error(`invalid credit ${credit.id}: ${describeZodError(checked.error)}`);
        const line = checked.data;
        const durable = segment.journal.append([line]);
        release();
        this.writing.set(segment.n, (this.writing.get(segment.n) ?? 0) + 1);
        try {
          await durable;
        } finally {
          this.writing.set(segment.n, (this.writing.get(segment.n) ?? 1) - 1);
        }
        const { t: _t, ...rest } = line;
        const stored: StoredCredit = { ...rest, segment: segment.n };
        this.items.set(credit.id, stored);
        this.unresolved.set(segment.n, (this.unresolved.get(segment.n) ?? 0) + 1);
        return stored;
      } finally {
        release();
        this.inFlight.delete(credit.id);
      }
    })();
    this.inFlight.set(credit.id, work);
    return work;
  }

  readImage(item: StoredCredit): Promise<Buffer | null> {
    return item.image ? this.images.read(item.image) : Promise.resolve(null);
  }

  /** Journal that the server accepted these records, then forget them and compact. */
  ack(ids: readonly string[]): Promise<void> {
    return this.serialStatus(async () => {
      const known = ids.filter((id) => this.items.has(id));
      if (known.length === 0) return;
      await this.status.append([{ t: 'ack', ids: known, at: new Date().toISOString(), total: this.pushed + known.length }]);
      this.pushed += known.length;
      for (const id of known) {
        const item = this.items.get(id)!;
        this.items.delete(id);
        if (item.failure) this.failed -= 1;
        this.liveAcked.set(id, item.segment);
        this.unresolved.set(item.segment, (this.unresolved.get(item.segment) ?? 1) - 1);
        if (item.image) await this.images.remove(item.image).catch(() => undefined);
      }
      await this.compact();
    });
  }

  /** Journal a permanent refusal: the record is parked (kept, shown, not retried automatically). */
  fail(id: string, reason: string): Promise<void> {
    return this.serialStatus(async () => {
      const item = this.items.get(id);
      if (!item) return;
      const at = new Date().toISOString();
      await this.status.append([{ t: 'fail', id, reason, at }]);
      if (!item.failure) this.failed += 1;
      item.failure = { reason, at };
    });
  }

  async close(): Promise<void> {
    await this.lineTurn;
    await this.statusTurn.catch(() => undefined);
    await this.current.journal.close();
    await this.status.close();
  }

  private serialStatus(task: () => Promise<void>): Promise<void> {
    const run = this.statusTurn.then(task, task);
    this.statusTurn = run.catch(() => undefined);
    return run;
  }

  private async writableSegment(): Promise<{ n: number; journal: JournalFile }> {
    if (this.current.journal.size < this.segmentMaxBytes) return this.current;
    const n = this.current.n + 1;
    const { journal } = await JournalFile.open(path.join(this.dir, segmentName(n)));
    const sealed = this.current;
    this.current = { n, journal };
    this.unresolved.set(n, 0);
    await sealed.journal.close();
    // Compaction touches the status journal, so it runs in the status queue, not here.
    this.serialStatus(() => this.compact()).catch((err: unknown) => log.warn('compaction failed', { error: String(err) }));
    return this.current;
  }

  /** Delete sealed segments with nothing left to deliver, then shrink the status journal if worthwhile. */
  private async compact(): Promise<void> {
    const done = [...this.unresolved]
      .filter(([n, count]) => count <= 0 && n !== this.current.n && !this.writing.get(n))
      .map(([n]) => n);
    for (const n of done) {
      await removeIfPresent(path.join(this.dir, segmentName(n)));
      this.unresolved.delete(n);
      for (const [id, segment] of this.liveAcked) if (segment === n) this.liveAcked.delete(id);
    }
    if (done.length > 0) {
      await fsyncDir(this.dir);
      log.info('compacted outbox segments', { deleted: done.length });
    }
    const liveEstimate = this.liveAcked.size * 48 + this.failed * 160 + 1024;
    if (this.status.size > this.statusRewriteBytes && this.status.size > 2 * liveEstimate) {
      this.status = await rewriteStatusJournal(path.join(this.dir, STATUS_FILE), this.status, {
        liveAcked: [...this.liveAcked.keys()],
        total: this.pushed,
        failed: [...this.items.values()].filter((i) => i.failure),
      });
    }
  }

  private async load(): Promise<void> {
    const { journal: status, parsed } = await JournalFile.open<unknown>(path.join(this.dir, STATUS_FILE));
    this.status = status;
    const statusLines = parsed.entries.map((e) => StatusLine.safeParse(e)).filter((r) => r.success).map((r) => r.data);
    this.corrupt += parsed.corrupt.length + parsed.entries.length - statusLines.length;
    const replay = await replayJournals(this.dir, statusLines);
    for (const item of replay.items) this.items.set(item.id, item);
    this.failed = replay.items.filter((i) => i.failure).length;
    for (const [n, count] of replay.unresolved) this.unresolved.set(n, count);
    for (const [id, n] of replay.liveAcked) this.liveAcked.set(id, n);
    this.pushed = replay.pushed;
    this.nextSeq = replay.maxSeq + 1;
    this.corrupt += replay.corrupt;
    const last = replay.segments.at(-1) ?? 1;
    const { journal } = await JournalFile.open(path.join(this.dir, segmentName(last)));
    this.current = { n: last, journal };
    if (!this.unresolved.has(last)) this.unresolved.set(last, 0);
    await this.compact();
    const liveImages = new Set([...this.items.values()].flatMap((i) => (i.image ? [i.image.file] : [])));
    const orphans = await this.images.removeOrphans(liveImages);
    log.info('outbox opened', { pending: this.items.size, pushed: this.pushed, corrupt: this.corrupt, orphanImages: orphans });
  }
}
