/**
 * The durable history of push passes, for the maintenance screen's "what went out, when": every manual push
 * (even one that found nothing to send) and every automatic pass that sent something or failed. Bounded to
 * the last MAX_ENTRIES, in <outbox>/push-history.json (storage/bounded-history.ts).
 */
import path from 'node:path';
import { BoundedHistory } from '../storage/bounded-history.js';
import type { StorageFs } from '../storage/durable-fs.js';
import type { PassReport } from './flush-pass.js';

export const MAX_ENTRIES = 200;

export interface PushHistoryEntry {
  /** Epoch ms the pass ended. */
  at: number;
  trigger: 'manual' | 'automatic';
  /** ok = everything attempted was settled (pushed or refused as invalid); retryable = the server must be tried again. */
  result: 'ok' | 'retryable' | 'held';
  attempted: number;
  pushed: number;
  failed: number;
  /** The range a manual push was limited to (epoch ms), else null. */
  from: number | null;
  to: number | null;
  message: string | null;
}

function isEntry(value: unknown): value is PushHistoryEntry {
  const v = value as Partial<PushHistoryEntry> | null;
  return !!v && typeof v.at === 'number' && (v.trigger === 'manual' || v.trigger === 'automatic') && typeof v.attempted === 'number';
}

export class PushHistory {
  private constructor(private readonly history: BoundedHistory<PushHistoryEntry>) {}

  static async open(dir: string, fs?: StorageFs): Promise<PushHistory> {
    return new PushHistory(await BoundedHistory.open(path.join(dir, 'push-history.json'), MAX_ENTRIES, isEntry, fs));
  }

  list(limit?: number): PushHistoryEntry[] {
    return this.history.list(limit);
  }

  /** Automatic passes that found nothing to send are not history (they happen after every record). */
  record(trigger: PushHistoryEntry['trigger'], report: PassReport | { outcome: 'held'; attempted: 0; pushed: 0; failed: 0; message?: string }, range: { from?: number | undefined; to?: number | undefined } = {}, now = Date.now()): Promise<void> {
    if (trigger === 'automatic' && report.attempted === 0 && report.outcome === 'ok') return Promise.resolve();
    return this.history.append({
      at: now, trigger, result: report.outcome, attempted: report.attempted, pushed: report.pushed, failed: report.failed,
      from: range.from ?? null, to: range.to ?? null, message: report.message ?? null,
    });
  }

  flushed(): Promise<void> {
    return this.history.flushed();
  }
}
