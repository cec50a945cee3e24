/**
 * Start-up replay: which recorded credits are still owed to the server. A credit is owed unless an ack line
 * names it; a fail line parks it. Lines that fail validation are counted as corrupt (and the raw bytes
 * quarantined), never thrown: one bad line must not keep the kiosk from starting or hide the good ones.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreditLine, type StatusLine, type StoredCredit } from './journal-entries.js';
import { parseJournal } from './record-codec.js';
import { listSegments, quarantine, segmentName } from './segment-files.js';

export interface Replay {
  items: StoredCredit[];
  unresolved: Map<number, number>;
  liveAcked: Map<string, number>;
  pushed: number;
  maxSeq: number;
  corrupt: number;
  segments: number[];
}

export async function replayJournals(dir: string, statusLines: readonly StatusLine[]): Promise<Replay> {
  const acked = new Set<string>();
  const failures = new Map<string, { reason: string; at: string }>();
  let pushed = 0;
  for (const line of statusLines) {
    if (line.t === 'ack') {
      for (const id of line.ids) {
        acked.add(id);
        failures.delete(id);
      }
      pushed = Math.max(pushed, line.total);
    } else if (!acked.has(line.id)) {
      failures.set(line.id, { reason: line.reason, at: line.at });
    }
  }

  const replay: Replay = { items: [], unresolved: new Map(), liveAcked: new Map(), pushed, maxSeq: 0, corrupt: 0, segments: [] };
  const seen = new Set<string>();
  replay.segments = await listSegments(dir);
  for (const n of replay.segments) {
    const parsed = parseJournal(await readFile(path.join(dir, segmentName(n))));
    await quarantine(dir, n, parsed.corrupt);
    replay.corrupt += parsed.corrupt.length;
    let owed = 0;
    for (const entry of parsed.entries) {
      const result = CreditLine.safeParse(entry);
      if (!result.success) {
        replay.corrupt += 1;
        continue;
      }
      const { t: _t, ...line } = result.data;
      replay.maxSeq = Math.max(replay.maxSeq, line.seq);
      if (acked.has(line.id)) {
        replay.liveAcked.set(line.id, n);
        continue;
      }
      if (seen.has(line.id)) continue; // the same id recorded twice: deliver it once
      seen.add(line.id);
      const failure = failures.get(line.id);
      replay.items.push({ ...line, segment: n, ...(failure ? { failure } : {}) });
      owed += 1;
    }
    replay.unresolved.set(n, owed);
  }
  return replay;
}
