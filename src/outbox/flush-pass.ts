/**
 * One pass over the owed records: send them in order, in batches, until none are left or the server says
 * "later". Acks are journaled after each accepted batch, so a crash re-sends at most the batch in flight.
 * A batch refused as permanently bad is retried one record at a time to find the culprit, which is then
 * parked as failed; the records around it still go out.
 */
import { createLogger } from '../log/logger.js';
import type { CreditJournal } from './credit-journal.js';
import type { StoredCredit } from './journal-entries.js';
import type { OutboxItem, OutboxSender, SendResult } from './sender.js';

const log = createLogger('outbox');

export interface PassReport {
  outcome: 'ok' | 'retryable';
  attempted: number;
  pushed: number;
  failed: number;
  message?: string;
  retryAfterMs?: number;
}

export interface PassOptions {
  batchSize: number;
  sendTimeoutMs: number;
  /** Which owed records this pass may send (automatic passes skip parked ones; manual ones may not). */
  include: (item: StoredCredit) => boolean;
  /** Start by sending one record at a time (the previous passes kept failing at the same place). */
  isolateFirst?: boolean;
  /** Per record, how many times the server answered 5xx to it alone; kept by the caller across passes. */
  strikes?: Map<string, number>;
  /** Strikes after which a record is tested as the culprit (see below). */
  poisonStrikes?: number;
  /** Called after every batch so the outbox can publish fresh figures. */
  onProgress?: (last: SendResult) => void;
}

/**
 * One bad record can make the server fail a whole batch with a 5xx (sync-offline rolls the batch back with
 * a 500), which looks like an outage and would block everything behind it forever. So when passes keep
 * failing, records go one at a time; a record the server answers 5xx to alone, again and again, is put to
 * the test: if the next record goes through alone right after, the server is fine and this record is
 * parked. A real outage fails the probe too, so it never parks anything.
 */
export async function runFlushPass(journal: CreditJournal, sender: OutboxSender, options: PassOptions): Promise<PassReport> {
  const report: PassReport = { outcome: 'ok', attempted: 0, pushed: 0, failed: 0 };
  const tried = new Set<string>(); // parked during this pass: never picked again by it
  const pick = (limit: number, skip?: string) => take(journal, limit, (i) => i.id !== skip && !tried.has(i.id) && options.include(i));
  const send = async (batch: StoredCredit[]): Promise<{ result: SendResult; accepted: number }> => {
    const items = await Promise.all(batch.map((stored) => toOutboxItem(journal, stored)));
    const result = await sendWithTimeout(sender, items, options.sendTimeoutMs);
    report.attempted += batch.length;
    const accepted = result.kind === 'ok' ? batch.length : Math.min(batch.length, Math.max(0, result.accepted ?? 0));
    if (accepted > 0) {
      const ids = batch.slice(0, accepted).map((b) => b.id);
      await journal.ack(ids);
      for (const id of ids) options.strikes?.delete(id);
      report.pushed += accepted;
    }
    options.onProgress?.(result);
    return { result, accepted };
  };
  const park = async (id: string, reason: string): Promise<void> => {
    await journal.fail(id, reason);
    options.strikes?.delete(id);
    tried.add(id);
    report.failed += 1;
  };

  const batchSize = Math.max(1, Math.min(options.batchSize, sender.maxBatch ?? options.batchSize));
  let isolate = options.isolateFirst ? batchSize : 0;
  for (;;) {
    const batch = pick(isolate > 0 ? 1 : batchSize);
    if (batch.length === 0) return report;
    const { result, accepted } = await send(batch);
    if (isolate > 0) isolate = Math.max(0, isolate - Math.max(accepted, 1));
    if (result.kind === 'ok') continue;
    if (result.kind === 'retryable') {
      const suspect = batch.length === 1 && typeof result.status === 'number' && result.status >= 500 ? batch[0]! : null;
      if (suspect && options.strikes) {
        const strikes = (options.strikes.get(suspect.id) ?? 0) + 1;
        options.strikes.set(suspect.id, strikes);
        const probe = strikes >= (options.poisonStrikes ?? 5) ? pick(1, suspect.id) : [];
        if (probe.length === 1 && (await send(probe)).result.kind === 'ok') {
          await park(suspect.id, `the server fails on this record alone (HTTP ${result.status}): ${result.message}`);
          continue;
        }
      }
      return { ...report, outcome: 'retryable', message: result.message, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
    }
    const rest = batch.slice(accepted);
    if (rest.length === 1) await park(rest[0]!.id, result.message);
    else isolate = rest.length;
  }
}

function take(journal: CreditJournal, limit: number, include: (item: StoredCredit) => boolean): StoredCredit[] {
  const out: StoredCredit[] = [];
  for (const item of journal.list()) {
    if (out.length >= limit) break;
    if (include(item)) out.push(item);
  }
  return out;
}

async function toOutboxItem(journal: CreditJournal, stored: StoredCredit): Promise<OutboxItem> {
  const { segment: _s, failure: _f, image: ref, ...fields } = stored;
  if (!ref) return fields;
  // Opened (and checked) by the sender when it uploads, streamed from disk: nothing is read here.
  const photo = {
    bytes: ref.bytes,
    open: async () => {
      const blob = await journal.openImage(stored);
      // A missing or damaged image must not hold the credit back: it goes without one (the sender decides).
      if (!blob) log.warn('image missing or damaged; sending the credit without it', { id: stored.id });
      return blob;
    },
  };
  return { ...fields, photo };
}

async function sendWithTimeout(sender: OutboxSender, items: OutboxItem[], ms: number): Promise<SendResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SendResult>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'retryable', message: `send timed out after ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([
      sender.send(items).catch((err: unknown): SendResult => ({ kind: 'retryable', message: err instanceof Error ? err.message : String(err) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
