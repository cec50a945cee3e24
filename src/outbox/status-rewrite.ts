/**
 * Shrink the status journal to what still matters: acks for records whose lines survive in live segments,
 * the running pushed total, and the parked failures. Written to a temporary file and renamed over the old
 * one, so a crash leaves either the old journal or the new one, both complete.
 */
import { replaceFileAtomic } from '../storage/durable-fs.js';
import type { StatusLine, StoredCredit } from './journal-entries.js';
import { JournalFile } from './journal-file.js';
import { encodeLine } from './record-codec.js';

export interface LiveStatus {
  liveAcked: string[];
  total: number;
  failed: StoredCredit[];
}

export async function rewriteStatusJournal(file: string, open: JournalFile, live: LiveStatus): Promise<JournalFile> {
  const at = new Date().toISOString();
  const lines: StatusLine[] = [{ t: 'ack', ids: live.liveAcked, at, total: live.total }];
  for (const item of live.failed) lines.push({ t: 'fail', id: item.id, reason: item.failure?.reason ?? 'unknown', at: item.failure?.at ?? at });
  await open.close();
  await replaceFileAtomic(file, lines.map(encodeLine).join(''));
  const { journal } = await JournalFile.open(file);
  return journal;
}
