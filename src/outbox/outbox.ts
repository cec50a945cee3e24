/**
 * The outbox as the rest of the kiosk sees it: a CreditStore whose `record` resolves once the credit is
 * durable, plus figures, preview and manual push for the maintenance screen. Delivery runs in the
 * background through whatever sender the server link attaches.
 */
import { statfs } from 'node:fs/promises';
import type { z } from 'zod';
import type { OutboxPreviewRecord, OutboxState } from '../contract/outbox.js';
import type { CreditRecord, CreditStore } from '../domain/ports.js';
import { outboxAlarms } from './alarms.js';
import type { OutboxConfig } from './config.js';
import { CreditJournal } from './credit-journal.js';
import { Flusher } from './flusher.js';
import type { PassReport } from './flush-pass.js';
import type { StoredCredit } from './journal-entries.js';
import type { OutboxSender } from './sender.js';

export type OutboxStatus = z.output<typeof OutboxState>;
export type PreviewRecord = z.output<typeof OutboxPreviewRecord>;
export interface TimeRange {
  from?: number | string | undefined;
  to?: number | string | undefined;
}

export interface OutboxHooks {
  onState?: (state: OutboxStatus) => void;
  /** Free bytes on the data disk; injectable so tests can simulate a full disk. */
  freeBytes?: (dir: string) => Promise<number | null>;
}

const DISK_CHECK_MS = 30_000;

export class Outbox implements CreditStore {
  private free: number | null = null;
  private diskTimer: NodeJS.Timeout | null = null;
  private readonly flusher: Flusher;

  private constructor(
    private readonly dir: string,
    private readonly journal: CreditJournal,
    private readonly config: OutboxConfig,
    private readonly hooks: OutboxHooks,
  ) {
    this.flusher = new Flusher(journal, config, () => this.changed());
  }

  static async open(dir: string, config: OutboxConfig, hooks: OutboxHooks = {}): Promise<Outbox> {
    const journal = await CreditJournal.open(dir, config.segmentMaxBytes);
    const outbox = new Outbox(dir, journal, config, hooks);
    await outbox.checkDisk();
    outbox.diskTimer = setInterval(() => void outbox.checkDisk(), DISK_CHECK_MS);
    outbox.diskTimer.unref();
    return outbox;
  }

  async record(credit: CreditRecord): Promise<void> {
    if (!credit.id) throw new Error('a credit needs a client id');
    await this.journal.append(credit);
    this.changed();
    this.flusher.kick();
  }

  /** Wire the server link; flushing starts at once with whatever is owed. */
  attachSender(sender: OutboxSender): void {
    this.flusher.attach(sender);
  }

  /** The link came back: stop waiting out the backoff and try now. */
  retrySoon(): void {
    this.flusher.retrySoon();
  }

  state(): OutboxStatus {
    const failed = this.journal.failedCount;
    const pending = this.journal.size - failed;
    const oldest = this.journal.list().next().value?.at ?? null;
    const info = this.flusher.info;
    const corrupt = this.journal.corruptLines;
    return {
      pending, failed, pushed: this.journal.pushedTotal, corrupt, oldestPendingAt: oldest,
      lastPushAt: info.lastPushAt, lastAttemptAt: info.lastAttemptAt, lastError: info.lastError, failedAttempts: info.consecutiveFailures, nextAttemptAt: info.nextAttemptAt,
      flushing: info.flushing, linkAttached: info.attached, freeBytes: this.free,
      alarms: outboxAlarms({ pending, failed, corrupt, freeBytes: this.free }, this.config),
    };
  }

  preview(range: TimeRange & { limit: number }): { total: number; records: PreviewRecord[] } {
    const inRange = rangeFilter(range);
    const records: PreviewRecord[] = [];
    let total = 0;
    for (const item of this.journal.list()) {
      if (!inRange(item)) continue;
      total += 1;
      if (records.length < range.limit) records.push(toPreview(item));
    }
    return { total, records };
  }

  /** Push now, parked records included, optionally only those whose `at` falls in the range. */
  push(range: TimeRange = {}): Promise<PassReport> {
    return this.flusher.pushNow(rangeFilter(range));
  }

  /** Stop flushing (waiting up to `graceMs` for a send in flight) and close the journal. */
  async close(graceMs?: number): Promise<void> {
    if (this.diskTimer) clearInterval(this.diskTimer);
    await this.flusher.stop(graceMs);
    await this.journal.close();
  }

  private async checkDisk(): Promise<void> {
    const measure = this.hooks.freeBytes ?? defaultFreeBytes;
    const free = await measure(this.dir).catch(() => null);
    if (free !== this.free) {
      this.free = free;
      this.changed();
    }
  }

  private changed(): void {
    this.hooks.onState?.(this.state());
  }
}

async function defaultFreeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

function toMs(bound: number | string | undefined): number | undefined {
  return bound === undefined ? undefined : typeof bound === 'number' ? bound : Date.parse(bound);
}

export function rangeFilter(range: TimeRange): (item: StoredCredit) => boolean {
  const from = toMs(range.from);
  const to = toMs(range.to);
  if (from === undefined && to === undefined) return () => true;
  return (item) => {
    const at = Date.parse(item.at);
    if (Number.isNaN(at)) return false;
    return (from === undefined || at >= from) && (to === undefined || at < to);
  };
}

function toPreview(item: StoredCredit): PreviewRecord {
  return {
    id: item.id, sessionId: item.sessionId, material: item.material, points: item.points, weightGrams: item.weightGrams,
    confidence: item.confidence, at: item.at, recordedAt: item.recordedAt, hasImage: item.image !== undefined,
    status: item.failure ? 'failed' : 'pending', error: item.failure?.reason ?? null,
  };
}
