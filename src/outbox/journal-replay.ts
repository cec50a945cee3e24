/**
 * Start-up replay: which recorded credits are still owed to the server. A credit is owed unless an ack line
 * names it; a fail line parks it. Nothing bad is thrown and nothing bad is dropped silently:
 * - a damaged line (complete, but failing its checksum or the schema) is copied to quarantine, counted, and
 *   replay goes on with the lines after it;
 * - a torn final line past the segment's committed-length mark is a write that never completed: copied to
 *   quarantine/torn (no alarm), and the open cuts it off;
 * - a torn final line inside the marked bytes, or a segment shorter than its mark, lost committed data: that
 *   is damage (copy, or a note of the lost length, in quarantine; counted).
 * How many credits the damage may have cost is estimated from the gaps in sequence numbers around it.
 */
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { nodeFs, type StorageFs } from '../storage/durable-fs.js';
import { CreditLine, type StatusLine, type StoredCredit } from './journal-entries.js';
import type { TailAction } from './journal-file.js';
import type { Quarantine } from './quarantine.js';
import { parseJournal, type BadLine } from './record-codec.js';
import { listSegments, segmentName } from './segment-files.js';

const log = createLogger('outbox');

export interface Mark {
  bytes: number;
  seq: number;
}

export interface Replay {
  items: StoredCredit[];
  unresolved: Map<number, number>;
  liveAcked: Map<string, number>;
  pushed: number;
  maxSeq: number;
  segments: number[];
  /** Latest committed-length mark per segment, from the status journal. */
  marks: Map<number, Mark>;
  /** Damaged lines (and lost committed tails) found in the segments. */
  damagedLines: number;
  /** Estimate of the credits those held (sequence-number gaps; one per damaged line where a gap has no bound). */
  damagedCredits: number;
  /** Segments whose bad bytes could not be copied to quarantine: they must not be cut or compacted. */
  unsaved: Set<number>;
  /** What the open should do with the last segment's torn tail, if it has one. */
  lastTail: TailAction;
}

/** Acks, parkings and marks from the status journal's valid lines. */
export function readStatus(statusLines: readonly StatusLine[]): { acked: Set<string>; failures: Map<string, { reason: string; at: string }>; pushed: number; marks: Map<number, Mark> } {
  const acked = new Set<string>();
  const failures = new Map<string, { reason: string; at: string }>();
  const marks = new Map<number, Mark>();
  let pushed = 0;
  for (const line of statusLines) {
    if (line.t === 'ack') {
      for (const id of line.ids) {
        acked.add(id);
        failures.delete(id);
      }
      pushed = Math.max(pushed, line.total);
    } else if (line.t === 'mark') {
      marks.set(line.segment, { bytes: line.bytes, seq: line.seq });
    } else if (!acked.has(line.id)) {
      failures.set(line.id, { reason: line.reason, at: line.at });
    }
  }
  return { acked, failures, pushed, marks };
}

export async function replayJournals(dir: string, statusLines: readonly StatusLine[], quarantine: Quarantine, fs: StorageFs = nodeFs): Promise<Replay> {
  const { acked, failures, pushed, marks } = readStatus(statusLines);
  const replay: Replay = {
    items: [], unresolved: new Map(), liveAcked: new Map(), pushed, maxSeq: 0, segments: [], marks,
    damagedLines: 0, damagedCredits: 0, unsaved: new Set(), lastTail: 'truncate',
  };
  const seen = new Set<string>();
  const gaps = new GapCounter();
  replay.segments = await listSegments(dir, fs);
  let previous: number | null = null;
  for (const n of replay.segments) {
    const name = segmentName(n);
    const data = await fs.readFile(path.join(dir, name));
    const parsed = parseJournal(data);
    const mark = marks.get(n);
    if (previous === null ? n !== 1 : n !== previous + 1) gaps.unknownBoundary(); // segments before it were compacted
    previous = n;
    const keep = async (what: string, copy: () => Promise<unknown>): Promise<boolean> => {
      try {
        await copy();
        return true;
      } catch (err) {
        replay.unsaved.add(n);
        log.error('could not copy bad journal bytes to quarantine; the segment is kept as it is', { segment: name, what, error: String(err) });
        return false;
      }
    };

    // Walk valid lines and damaged ones in file order, so sequence gaps can be attributed to the damage.
    const events: Array<{ offset: number; seq?: number; bad?: BadLine }> = parsed.damaged.map((bad) => ({ offset: bad.offset, bad }));
    let owed = 0;
    parsed.entries.forEach((entry, k) => {
      const span = parsed.spans[k]!;
      const result = CreditLine.safeParse(entry);
      if (!result.success) {
        // Checksum fine, content not a credit (another version, or damage the CRC missed): damage all the same.
        events.push({ offset: span.offset, bad: { offset: span.offset, bytes: data.subarray(span.offset, span.offset + span.length) } });
        return;
      }
      const { t: _t, ...line } = result.data;
      events.push({ offset: span.offset, seq: line.seq });
      replay.maxSeq = Math.max(replay.maxSeq, line.seq);
      if (acked.has(line.id)) {
        replay.liveAcked.set(line.id, n);
        return;
      }
      if (seen.has(line.id)) return; // the same id recorded twice: deliver it once
      seen.add(line.id);
      const failure = failures.get(line.id);
      replay.items.push({ ...line, segment: n, ...(failure ? { failure } : {}) });
      owed += 1;
    });
    events.sort((a, b) => a.offset - b.offset);
    let lastSeq = 0;
    for (const event of events) {
      if (event.seq !== undefined) {
        gaps.seq(event.seq);
        lastSeq = Math.max(lastSeq, event.seq);
        continue;
      }
      const bad = event.bad!;
      gaps.damage();
      replay.damagedLines += 1;
      log.error('damaged line in the credit journal; copied to quarantine, replay goes on', { segment: name, offset: bad.offset, bytes: bad.bytes.length });
      await keep('damaged line', () => quarantine.damaged(name, bad));
    }

    // The end of the segment: a torn write, or committed bytes lost?
    const committed = mark?.bytes ?? 0;
    let tailSaved = true;
    if (parsed.tornTail) {
      const tail = parsed.tornTail;
      if (tail.offset < committed) {
        gaps.damage();
        replay.damagedLines += 1;
        log.error('the journal ends inside committed bytes: committed lines were lost', { segment: name, offset: tail.offset, committed });
        tailSaved = await keep('damaged tail', () => quarantine.damaged(name, tail));
      } else {
        log.warn('torn final line (an append that never completed); copied to quarantine/torn', { segment: name, offset: tail.offset, bytes: tail.bytes.length });
        tailSaved = await keep('torn tail', () => quarantine.torn(name, tail));
      }
    }
    if (mark && data.length < committed) {
      // Committed bytes are gone. Cut at the end (the last valid line is older than the mark says): the loss is
      // damage of its own when no partial line was there to copy. Taken from the middle (the last line is the
      // marked one): the damaged lines found above already account for it; the note is evidence either way.
      if (!parsed.tornTail && lastSeq < mark.seq) {
        gaps.damage();
        replay.damagedLines += 1;
      }
      log.error('journal segment is shorter than its committed length: committed bytes were lost', { segment: name, committed, found: data.length });
      await keep('lost-bytes note', () => quarantine.lost(name, { committedBytes: committed, foundBytes: data.length, lastSeq: mark.seq }));
    }
    if (mark) gaps.upTo(mark.seq); // damage at the end accounts for the records up to the mark
    replay.unresolved.set(n, owed);
    if (n === replay.segments.at(-1)) replay.lastTail = tailSaved ? 'truncate' : 'seal';
  }
  replay.damagedCredits = gaps.finish();
  // Sequence numbers of lost lines are not handed out again: new credits start above the highest one marked.
  for (const mark of marks.values()) replay.maxSeq = Math.max(replay.maxSeq, mark.seq);
  return replay;
}

/**
 * Credits the damage may have cost: between two valid lines with sequence numbers a and b, b − a − 1 records
 * are missing; where one side is unknown (damage at the very start or end, or next to compacted segments),
 * each damaged line counts as one.
 */
class GapCounter {
  private prev: number | null = 0;
  private regions = 0;
  private total = 0;

  seq(seq: number): void {
    this.close(seq);
    this.prev = seq;
  }

  damage(): void {
    this.regions += 1;
  }

  /** Records up to `seq` were committed (a mark): the damage before this point accounts for them. */
  upTo(seq: number): void {
    if (this.prev !== null && seq <= this.prev) return;
    this.close(seq + 1);
    this.prev = seq;
  }

  unknownBoundary(): void {
    this.close(null);
    this.prev = null;
  }

  finish(): number {
    this.close(null);
    return this.total;
  }

  private close(next: number | null): void {
    if (this.regions === 0) return;
    this.total += this.prev !== null && next !== null ? Math.max(0, next - this.prev - 1) : this.regions;
    this.regions = 0;
  }
}
