/**
 * The durable credit store: credit lines in append-only segments, acks, permanent failures and
 * committed-length marks in a status journal, images in their own files. Replaying both journals on open
 * rebuilds the set of records still owed to the server; damaged lines are copied to quarantine and counted,
 * never dropped silently (journal-replay.ts). Segments whose every record is acknowledged are deleted
 * (compaction), and the status journal is rewritten atomically when most of it describes deleted segments,
 * so disk use tracks the backlog, not the machine's lifetime.
 *
 * Write failures (a full disk, an I/O error) are remembered in `writeError` until `recheck()` shows the disk
 * takes writes again. A journal write that hits a full disk first releases the disk reserve and tries once
 * more. An ack that still cannot be written is kept in memory (`ackPending`): those records are not sent
 * again by this process, and `retryAcks()` writes the line once the disk lets it.
 */
import path from 'node:path';
import type { CreditRecord } from '../domain/ports.js';
import { describeZodError } from '../core/describe-error.js';
import { createLogger } from '../log/logger.js';
import { fsyncDir, nodeFs, removeIfPresent, writeFileDurable, type StorageFs } from '../storage/durable-fs.js';
import { DiskReserve } from './disk-reserve.js';
import { ImageStore, type ImageRef } from './image-store.js';
import { CreditLine, StatusLine, type StoredCredit } from './journal-entries.js';
import { JournalFile, type TailAction } from './journal-file.js';
import { replayJournals, type Mark } from './journal-replay.js';
import { Quarantine } from './quarantine.js';
import type { ParsedJournal } from './record-codec.js';
import { segmentName } from './segment-files.js';
import { rewriteStatusJournal } from './status-rewrite.js';

const log = createLogger('outbox');
const STATUS_FILE = 'status.jnl';
const PROBE_FILE = 'write-probe.tmp';
/** A probe write is about one credit with its photo: if this fits, recording can go on. */
const PROBE_BYTES = 64 * 1024;

export interface JournalOptions {
  /** The status journal is considered for rewriting only past this size. */
  statusRewriteBytes?: number;
  /** Filesystem seam (tests inject faults); the real one by default. */
  fs?: StorageFs;
  /** Size of the disk reserve released when a journal write hits a full disk (0: none). */
  reserveBytes?: number;
}

/** The server accepted records but the ack line could not be written (see `ackPending`). */
export class AckWriteError extends Error {
  override name = 'AckWriteError';
}

export class CreditJournal {
  private readonly items = new Map<string, StoredCredit>();
  private readonly inFlight = new Map<string, Promise<StoredCredit>>();
  /** Per live segment, how many of its records are not yet acknowledged. */
  private readonly unresolved = new Map<number, number>();
  /** Acked ids whose credit lines still sit in a live segment (they must stay acked across restarts). */
  private readonly liveAcked = new Map<string, number>();
  /** Per segment, appends enqueued but not yet fsynced: such a segment must not be compacted away. */
  private readonly writing = new Map<number, number>();
  /** Accepted by the server, ack not on disk yet: never sent again by this process, retried by `retryAcks`. */
  private readonly unjournaled = new Set<string>();
  /** Latest committed-length mark per live segment, as written to the status journal. */
  private readonly marks = new Map<number, Mark>();
  /** Segments holding bad bytes that could not be copied to quarantine: never compacted away. */
  private readonly unsaved = new Set<number>();
  private current!: { n: number; journal: JournalFile };
  private status!: JournalFile;
  private nextSeq = 1;
  private pushed = 0;
  private failed = 0;
  private damaged = 0;
  private damagedRecords = 0;
  private statusUnsaved = false;
  private lastWriteError: NodeJS.ErrnoException | null = null;
  private lineTurn: Promise<void> = Promise.resolve();
  private statusTurn: Promise<unknown> = Promise.resolve();
  readonly quarantine: Quarantine;
  private readonly reserve: DiskReserve;
  private readonly onDiskFull = () => this.reserve.release();

  private constructor(
    private readonly dir: string,
    private readonly segmentMaxBytes: number,
    private readonly statusRewriteBytes: number,
    private readonly images: ImageStore,
    private readonly fs: StorageFs,
    reserveBytes: number,
  ) {
    this.quarantine = new Quarantine(dir, fs);
    this.reserve = new DiskReserve(dir, reserveBytes, fs);
  }

  static async open(dir: string, segmentMaxBytes: number, options: JournalOptions = {}): Promise<CreditJournal> {
    const fs = options.fs ?? nodeFs;
    // A fresh install creates these directories: their entries must be durable before any record is.
    await fs.mkdir(dir);
    await fsyncDir(path.dirname(dir), fs);
    const images = new ImageStore(path.join(dir, 'images'), fs);
    await images.init();
    await fsyncDir(dir, fs);
    const journal = new CreditJournal(dir, segmentMaxBytes, options.statusRewriteBytes ?? 64 * 1024, images, fs, options.reserveBytes ?? 0);
    await journal.reserve.restore();
    await journal.load();
    return journal;
  }

  get pushedTotal(): number {
    return this.pushed;
  }
  /** Damaged lines found in the journals at start-up (each copied to quarantine, or kept in place if that failed). */
  get damagedLines(): number {
    return this.damaged;
  }
  /** Estimate of the credits those lines held: they will not be delivered unless a technician recovers them. */
  get damagedCredits(): number {
    return this.damagedRecords;
  }
  /** Damage was found whose bytes could not be copied to quarantine (disk full?): they stay in the journal. */
  get damageUnsaved(): boolean {
    return this.unsaved.size > 0 || this.statusUnsaved;
  }
  get failedCount(): number {
    let parkedButAccepted = 0;
    for (const id of this.unjournaled) if (this.items.get(id)?.failure) parkedButAccepted += 1;
    return this.failed - parkedButAccepted;
  }
  /** Records still owed (pending and failed), not counting those accepted whose ack is not on disk yet. */
  get size(): number {
    return this.items.size - this.unjournaled.size;
  }
  /** Records the server accepted whose ack line could not be written yet. */
  get ackPending(): number {
    return this.unjournaled.size;
  }
  /** The last failed write to the outbox ("ENOSPC: …"), until a write succeeds again; null when fine. */
  get writeError(): NodeJS.ErrnoException | null {
    return this.lastWriteError;
  }
  /** The disk reserve was used up by a write on a full disk (or could not be written) and is not back yet. */
  get reserveInUse(): boolean {
    return this.reserve.inUse;
  }

  /** Records still owed, pending and failed, in the order they were recorded (accepted-but-unjournaled left out). */
  *list(): IterableIterator<StoredCredit> {
    for (const item of this.items.values()) if (!this.unjournaled.has(item.id)) yield item;
  }

  /** Whether `id` was delivered (acked) and its credit line is still on disk: a second record of it is a duplicate. */
  wasDelivered(id: string): boolean {
    return this.liveAcked.has(id);
  }

  /** Durably store one credit. Resolves after fsync; a second call with the same pending id is a no-op. */
  append(credit: CreditRecord): Promise<StoredCredit> {
    const known = this.items.get(credit.id) ?? this.inFlight.get(credit.id);
    if (known) return Promise.resolve(known);
    const myTurn = this.lineTurn;
    let release!: () => void;
    this.lineTurn = new Promise<void>((resolve) => (release = resolve));
    const work = (async () => {
      try {
        // Images are written in parallel; journal lines are queued strictly in call order.
        const image = credit.image ? await this.writeImage(credit.id, credit.image) : undefined;
        await myTurn;
        const segment = await this.writableSegment();
        const { image: _bytes, ...fields } = credit;
        // Validate before writing: a line that would not replay would be a credit lost at the next start.
        // The sequence number is taken only for a line that will be written, so numbers have no gaps but
        // for failed writes, and a gap next to damage tells how many credits the damage held.
        const checked = CreditLine.safeParse({ t: 'credit', seq: this.nextSeq, ...fields, recordedAt: new Date().toISOString(), ...(image ? { image } : {}) });
        if (!checked.success) throw new Error(`invalid credit ${credit.id}: ${describeZodError(checked.error)}`);
        this.nextSeq += 1;
        const line = checked.data;
        const durable = segment.journal.append([line], line.seq);
        release();
        this.writing.set(segment.n, (this.writing.get(segment.n) ?? 0) + 1);
        try {
          await this.written(durable);
        } finally {
          this.writing.set(segment.n, (this.writing.get(segment.n) ?? 1) - 1);
        }
        const { t: _t, ...rest } = line;
        const stored: StoredCredit = { ...rest, segment: segment.n };
        this.items.set(credit.id, stored);
        this.unresolved.set(segment.n, (this.unresolved.get(segment.n) ?? 0) + 1);
        return stored;
      } catch (err) {
        // The line is not in the journal: an image written for it would be an orphan taking space.
        if (credit.image && !this.items.has(credit.id)) await this.images.remove({ file: this.images.fileFor(credit.id), bytes: 0, crc: 0 }).catch(() => undefined);
        throw err;
      } finally {
        release();
        this.inFlight.delete(credit.id);
      }
    })();
    this.inFlight.set(credit.id, work);
    return work;
  }

  /**
   * The photo of a credit. If it cannot be written (full disk, I/O error) the credit is recorded without it,
   * as a credit whose image went missing would be sent: the credit is what the recycler is owed.
   */
  private async writeImage(id: string, image: Buffer): Promise<ImageRef | undefined> {
    try {
      return await this.images.write(id, image);
    } catch (err) {
      this.lastWriteError = err as NodeJS.ErrnoException;
      log.error('could not store the item image; recording the credit without it', { id, error: String(err) });
      return undefined;
    }
  }

  readImage(item: StoredCredit): Promise<Buffer | null> {
    return item.image ? this.images.read(item.image) : Promise.resolve(null);
  }

  /** The photo as a verified, file-backed Blob to stream to the server; null when there is none or it is damaged. */
  openImage(item: StoredCredit): Promise<Blob | null> {
    return item.image ? this.images.open(item.image) : Promise.resolve(null);
  }

  /**
   * Journal that the server accepted these records, then forget them and compact. If the ack line cannot
   * be written, the ids are kept as accepted in memory (not offered for sending again) and AckWriteError is
   * thrown; `retryAcks()` writes them later.
   */
  ack(ids: readonly string[]): Promise<void> {
    return this.serialStatus(() => this.writeAcks(ids));
  }

  /** Write the acks that could not be written before. Resolves at once when there are none. */
  retryAcks(): Promise<void> {
    return this.serialStatus(() => this.writeAcks([]));
  }

  /** Journal a permanent refusal: the record is parked (kept, shown, not retried automatically). */
  fail(id: string, reason: string): Promise<void> {
    return this.serialStatus(async () => {
      const item = this.items.get(id);
      if (!item || this.unjournaled.has(id)) return;
      const at = new Date().toISOString();
      await this.written(this.statusJournal().then((status) => status.append([{ t: 'fail', id, reason, at }])));
      if (!item.failure) this.failed += 1;
      item.failure = { reason, at };
    });
  }

  /**
   * After a write failure: does the disk take writes again? Writes the reserve back if it was used, then
   * writes, fsyncs and deletes a file about the size of one credit with its photo. True (and `writeError`
   * cleared) when all of that worked.
   */
  async recheck(): Promise<boolean> {
    if (!(await this.reserve.restore())) return false;
    if (!this.lastWriteError) return true;
    const file = path.join(this.dir, PROBE_FILE);
    try {
      await writeFileDurable(file, Buffer.alloc(PROBE_BYTES), this.fs);
      this.lastWriteError = null;
      return true;
    } catch {
      return false;
    } finally {
      await removeIfPresent(file, this.fs).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.lineTurn;
    await this.statusTurn.catch(() => undefined);
    await this.current.journal.close();
    // A clean shutdown marks the current segment's length: a shorter file at the next start lost committed data.
    await this.serialStatus(() => this.writeMarks([this.markOf(this.current.n, this.current.journal)])).catch((err: unknown) =>
      log.warn('could not write the committed-length mark on close', { error: String(err) }),
    );
    await this.status.close();
  }

  /**
   * Remember a write's failure in `writeError`. It is sticky: one small line getting through does not show
   * the disk is fine again; only `recheck()` clears it.
   */
  private async written<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      this.lastWriteError = err as NodeJS.ErrnoException;
      throw err;
    }
  }

  private async writeAcks(fresh: readonly string[]): Promise<void> {
    const known = [...new Set([...this.unjournaled, ...fresh])].filter((id) => this.items.has(id));
    if (known.length === 0) {
      this.unjournaled.clear();
      return;
    }
    const ack = { t: 'ack' as const, ids: known, at: new Date().toISOString(), total: this.pushed + known.length };
    try {
      // The mark rides in the same write and fsync: committed lengths cost nothing extra.
      const status = await this.statusJournal();
      await this.written(status.append([ack, this.markLine(this.markOf(this.current.n, this.current.journal))]));
    } catch (err) {
      for (const id of known) this.unjournaled.add(id);
      const code = (err as NodeJS.ErrnoException).code;
      throw new AckWriteError(`could not journal the server's ack for ${known.length} record(s)${code ? ` (${code})` : ''}: ${(err as Error).message}`, { cause: err });
    }
    this.rememberMark(this.current.n, this.current.journal);
    this.pushed += known.length;
    for (const id of known) {
      const item = this.items.get(id)!;
      this.items.delete(id);
      this.unjournaled.delete(id);
      if (item.failure) this.failed -= 1;
      this.liveAcked.set(id, item.segment);
      this.unresolved.set(item.segment, (this.unresolved.get(item.segment) ?? 1) - 1);
      if (item.image) await this.images.remove(item.image).catch(() => undefined);
    }
    await this.compact().catch((err: unknown) => log.warn('compaction failed', { error: String(err) }));
  }

  private markOf(n: number, journal: JournalFile): { n: number; mark: Mark } {
    return { n, mark: { bytes: journal.size, seq: journal.committedTag } };
  }

  private markLine({ n, mark }: { n: number; mark: Mark }): StatusLine {
    return { t: 'mark', segment: n, bytes: mark.bytes, seq: mark.seq, at: new Date().toISOString() };
  }

  private rememberMark(n: number, journal: JournalFile): void {
    this.marks.set(n, { bytes: journal.size, seq: journal.committedTag });
  }

  private async writeMarks(marks: Array<{ n: number; mark: Mark }>): Promise<void> {
    const status = await this.statusJournal();
    await status.append(marks.map((m) => this.markLine(m)));
    for (const { n, mark } of marks) this.marks.set(n, mark);
  }

  /** The status journal, reopened if a failed rewrite left it closed. */
  private async statusJournal(): Promise<JournalFile> {
    if (this.status.isClosed) this.status = (await JournalFile.open(path.join(this.dir, STATUS_FILE), { fs: this.fs, onDiskFull: this.onDiskFull })).journal;
    return this.status;
  }

  private serialStatus(task: () => Promise<void>): Promise<void> {
    const run = this.statusTurn.then(task, task);
    this.statusTurn = run.catch(() => undefined);
    return run;
  }

  private async writableSegment(): Promise<{ n: number; journal: JournalFile }> {
    if (this.current.journal.size < this.segmentMaxBytes) return this.current;
    const n = this.current.n + 1;
    const { journal } = await this.written(JournalFile.open(path.join(this.dir, segmentName(n)), { fs: this.fs, onDiskFull: this.onDiskFull }));
    const sealed = this.current;
    this.current = { n, journal };
    this.unresolved.set(n, 0);
    await sealed.journal.close();
    // The sealed segment's final length is marked; compaction touches the status journal, so both run in the
    // status queue, not here.
    const mark = this.markOf(sealed.n, sealed.journal);
    this.serialStatus(async () => {
      await this.writeMarks([mark]).catch((err: unknown) => log.warn('could not mark a sealed segment', { error: String(err) }));
      await this.compact();
    }).catch((err: unknown) => log.warn('compaction failed', { error: String(err) }));
    return this.current;
  }

  /** Delete sealed segments with nothing left to deliver, then shrink the status journal if worthwhile. */
  private async compact(): Promise<void> {
    const done = [...this.unresolved]
      .filter(([n, count]) => count <= 0 && n !== this.current.n && !this.writing.get(n) && !this.unsaved.has(n))
      .map(([n]) => n);
    for (const n of done) {
      await removeIfPresent(path.join(this.dir, segmentName(n)), this.fs);
      this.unresolved.delete(n);
      this.marks.delete(n);
      for (const [id, segment] of this.liveAcked) if (segment === n) this.liveAcked.delete(id);
    }
    if (done.length > 0) {
      await fsyncDir(this.dir, this.fs);
      log.info('compacted outbox segments', { deleted: done.length });
    }
    const liveEstimate = this.liveAcked.size * 48 + this.failed * 160 + this.marks.size * 100 + 1024;
    // A damaged status line not yet copied to quarantine lives only in this file: no rewrite until it is.
    if (!this.statusUnsaved && this.status.size > this.statusRewriteBytes && this.status.size > 2 * liveEstimate) {
      this.status = await rewriteStatusJournal(
        path.join(this.dir, STATUS_FILE),
        this.status,
        { liveAcked: [...this.liveAcked.keys()], total: this.pushed, failed: [...this.items.values()].filter((i) => i.failure), marks: this.marks },
        { fs: this.fs, onDiskFull: this.onDiskFull },
      );
    }
  }

  private async load(): Promise<void> {
    const { journal: status, parsed } = await JournalFile.open<unknown>(path.join(this.dir, STATUS_FILE), {
      fs: this.fs,
      onDiskFull: this.onDiskFull,
      settle: (found, data) => this.settleStatus(found, data),
    });
    this.status = status;
    const statusLines = parsed.entries.flatMap((e) => {
      const line = StatusLine.safeParse(e);
      return line.success ? [line.data] : [];
    });
    const replay = await replayJournals(this.dir, statusLines, this.quarantine, this.fs);
    for (const item of replay.items) this.items.set(item.id, item);
    this.failed = replay.items.filter((i) => i.failure).length;
    for (const [n, count] of replay.unresolved) this.unresolved.set(n, count);
    for (const [id, n] of replay.liveAcked) this.liveAcked.set(id, n);
    for (const [n, mark] of replay.marks) if (replay.unresolved.has(n)) this.marks.set(n, mark);
    for (const n of replay.unsaved) this.unsaved.add(n);
    this.pushed = replay.pushed;
    this.nextSeq = replay.maxSeq + 1;
    this.damaged += replay.damagedLines;
    this.damagedRecords += replay.damagedCredits;
    const last = replay.segments.at(-1) ?? 1;
    const lastTail: TailAction = replay.lastTail;
    const { journal } = await JournalFile.open(path.join(this.dir, segmentName(last)), { fs: this.fs, onDiskFull: this.onDiskFull, settle: async () => lastTail });
    journal.adoptTag(replay.maxSeq); // the last segment holds the highest sequence number, if it holds any line
    this.current = { n: last, journal };
    if (!this.unresolved.has(last)) this.unresolved.set(last, 0);
    // The current segment's length as found (after cutting a torn tail) is what is committed now. Without
    // this, a torn write at the next start could fall inside an old, longer mark and look like damage.
    await this.writeMarks([this.markOf(last, journal)]).catch((err: unknown) => log.warn('could not write the start-up mark', { error: String(err) }));
    await this.compact();
    const liveImages = new Set([...this.items.values()].flatMap((i) => (i.image ? [i.image.file] : [])));
    // With damage found, an orphan image may be all that is left of a lost credit: keep it for a technician.
    const keepOrphan =
      this.damaged > 0
        ? (name: string) =>
            this.quarantine.image(this.images.dir, name).catch((err: unknown) => log.error('could not move an orphan image to quarantine; left in place', { name, error: String(err) }))
        : undefined;
    const orphans = await this.images.removeOrphans(liveImages, keepOrphan);
    const logged = { pending: this.items.size, pushed: this.pushed, damagedLines: this.damaged, damagedCredits: this.damagedRecords, orphanImages: orphans };
    if (this.damaged > 0) log.error('outbox opened with a damaged journal; bad lines are in quarantine', logged);
    else log.info('outbox opened', logged);
  }

  /** Status journal found on open: copy damaged lines and a torn tail to quarantine; cut the tail only if copied. */
  private async settleStatus(found: ParsedJournal<unknown>, data: Buffer): Promise<TailAction> {
    const bad = [...found.damaged];
    found.entries.forEach((entry, k) => {
      if (StatusLine.safeParse(entry).success) return;
      const span = found.spans[k]!;
      bad.push({ offset: span.offset, bytes: data.subarray(span.offset, span.offset + span.length) });
    });
    for (const line of bad) {
      // A damaged ack can only make a credit owed again (it is re-sent: the safe direction), never drop one.
      this.damaged += 1;
      log.error('damaged line in the status journal; copied to quarantine (acks in it will be re-sent)', { offset: line.offset });
      await this.quarantine.damaged(STATUS_FILE, line).catch((err: unknown) => {
        // The line stays where it is until the status journal is rewritten; the alarm stays raised meanwhile.
        this.statusUnsaved = true;
        log.error('could not copy a damaged status line to quarantine', { error: String(err) });
      });
    }
    if (!found.tornTail) return 'truncate';
    try {
      await this.quarantine.torn(STATUS_FILE, found.tornTail);
      return 'truncate';
    } catch (err) {
      log.error('could not copy the status journal\'s torn tail to quarantine', { error: String(err) });
      return 'seal';
    }
  }
}
