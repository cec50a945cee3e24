/**
 * Shrink the status journal to what still matters: acks for records whose lines survive in live segments,
 * the running pushed total, the parked failures and the committed-length marks of live segments. Written to
 * a temporary file and renamed over the old one, so a crash leaves either the old journal or the new one,
 * both complete.
 */
import { createLogger } from '../log/logger.js';
import { nodeFs, replaceFileAtomic, type StorageFs } from '../storage/durable-fs.js';
import type { StatusLine, StoredCredit } from './journal-entries.js';
import { JournalFile } from './journal-file.js';
import type { Mark } from './journal-replay.js';
import { encodeLine } from './record-codec.js';

const log = createLogger('outbox');

export interface LiveStatus {
  liveAcked: string[];
  total: number;
  failed: StoredCredit[];
  marks: ReadonlyMap<number, Mark>;
}

export async function rewriteStatusJournal(
  file: string,
  open: JournalFile,
  live: LiveStatus,
  { fs = nodeFs, onDiskFull }: { fs?: StorageFs; onDiskFull?: () => Promise<boolean> } = {},
): Promise<JournalFile> {
  const at = new Date().toISOString();
  const lines: StatusLine[] = [{ t: 'ack', ids: live.liveAcked, at, total: live.total }];
  for (const item of live.failed) lines.push({ t: 'fail', id: item.id, reason: item.failure?.reason ?? 'unknown', at: item.failure?.at ?? at });
  for (const [segment, mark] of live.marks) lines.push({ t: 'mark', segment, bytes: mark.bytes, seq: mark.seq, at });
  await open.close();
  let failure: unknown = null;
  try {
    await replaceFileAtomic(file, lines.map(encodeLine).join(''), fs);
  } catch (err) {
    failure = err; // a full disk: the old journal stays in place, complete
  }
  // Reopen whichever journal is now in place: appends must go on either way.
  const { journal } = await JournalFile.open(file, { fs, ...(onDiskFull ? { onDiskFull } : {}) });
  if (failure) log.warn('could not rewrite the status journal; kept the old one', { error: String(failure) });
  return journal;
}
