/**
 * The outbox as the rest of the kiosk sees it: a CreditStore whose `record` resolves once the credit is
 * durable, plus figures, preview and manual push for the maintenance screen. Delivery runs in the
 * background through whatever sender the server link attaches.
 */
import type { z } from 'zod';
import type { OutboxPreviewRecord, OutboxState } from '../contract/outbox.js';
import type { CreditRecord, CreditStore } from '../domain/ports.js';
import { nodeFs, type StorageFs } from '../storage/durable-fs.js';
import { OUT_OF_SERVICE, outboxAlarms } from './alarms.js';
import type { OutboxConfig } from './config.js';
import { CreditJournal } from './credit-journal.js';
import { Flusher } from './flusher.js';
import type { PassReport } from './flush-pass.js';
import type { StoredCredit } from './journal-entries.js';
import type { OutboxSender } from './sender.js';
import { HoldSwitch, type HoldState } from './hold-switch.js';
import { PushHistory, type PushHistoryEntry } from './push-history.js';

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
  /** Filesystem seam for the journals, images and quarantine (tests inject ENOSPC, EIO). */
  fs?: StorageFs;
}

const DISK_CHECK_MS = 30_000;
/**
 * While the outbox refuses credits (disk low, writes failing) it looks again this often: a machine out of
 * service for a full disk should be back within seconds of space returning, not at the next 30 s check —
 * and while items are handed back no credit arrives to trigger a check.
 */
const REFUSING_CHECK_MS = 2_000;

/** A manual push while the hold switch is on: refused, nothing sent (the technician releases it first). */
export class OutboxHeldError extends Error {
  constructor(reason: string | null) {
    super(`the outbox is on hold${reason ? `: ${reason}` : ''}`);
  }
}

export class Outbox implements CreditStore {
  private free: number | null = null;
  private quarantined = 0;
  private diskTimer: NodeJS.Timeout | null = null;
  private measuredAt = 0;
  private checking: Promise<void> | null = null;
  private closed = false;
  private readonly flusher: Flusher;

  private constructor(
    private readonly dir: string,
    private readonly journal: CreditJournal,
    private readonly config: OutboxConfig,
    private readonly hooks: OutboxHooks,
    private readonly holdSwitch: HoldSwitch,
    private readonly pushes: PushHistory,
  ) {
    this.flusher = new Flusher(journal, config, () => this.changed(), {
      held: () => this.holdSwitch.held,
      onAutomaticPass: (report) => void this.pushes.record('automatic', report).catch(() => undefined),
    });
  }

  static async open(dir: string, config: OutboxConfig, hooks: OutboxHooks = {}): Promise<Outbox> {
    const journal = await CreditJournal.open(dir, config.segmentMaxBytes, { reserveBytes: config.reserveBytes, ...(hooks.fs ? { fs: hooks.fs } : {}) });
    const outbox = new Outbox(dir, journal, config, hooks, await HoldSwitch.open(dir, hooks.fs), await PushHistory.open(dir, hooks.fs));
    await outbox.checkDisk();
    outbox.diskTimer = setInterval(() => {
      if (!outbox.canAccept() || Date.now() - outbox.measuredAt >= DISK_CHECK_MS) void outbox.checkDisk();
    }, REFUSING_CHECK_MS);
    outbox.diskTimer.unref();
    return outbox;
  }

  async record(credit: CreditRecord): Promise<void> {
    if (!credit.id) throw new Error('a credit needs a client id');
    // Item custody may confirm an item again after a crash: an id already delivered is not recorded twice.
    if (this.journal.wasDelivered(credit.id)) return;
    try {
      await this.journal.append(credit);
    } catch (err) {
      this.changed(); // a write failure is an alarm at once, not at the next disk check
      throw err;
    }
    this.changed();
    this.flusher.kick();
    // A fresh free-space figure after every credit, so `disk_low` does not wait for the 30 s check.
    void this.checkDisk();
  }

  /**
   * Whether an item may be taken now: false while an out-of-service alarm is raised (backlog full, disk
   * low, writes failing). The credit of an item already in the bin is still recorded if at all possible
   * (the disk reserve); this is what keeps the next item out.
   */
  canAccept(): boolean {
    return !this.state().alarms.some((alarm) => OUT_OF_SERVICE[alarm] !== undefined);
  }

  /**
   * Run the periodic check now: free space, quarantine count (copies moved to quarantine/reviewed/ clear
   * `corrupt_records`), and after a write failure whether the disk takes writes again.
   */
  async refresh(): Promise<void> {
    await this.checking; // one already running may have measured before the caller's change: run a fresh one
    await this.checkDisk();
  }

  /** Wire the server link; flushing starts at once with whatever is owed. */
  attachSender(sender: OutboxSender): void {
    this.flusher.attach(sender);
  }

  /** The link came back: stop waiting out the backoff and try now. */
  retrySoon(): void {
    this.flusher.retrySoon();
  }

  /** Whether no automatic pass is scheduled or running now (tests wait on it; nothing else needs it). */
  get quiet(): boolean {
    return !this.flusher.passScheduled && !this.flusher.info.flushing;
  }

  state(): OutboxStatus {
    const failed = this.journal.failedCount;
    const pending = this.journal.size - failed;
    const oldest = this.journal.list().next().value?.at ?? null;
    const info = this.flusher.info;
    const damagedLines = this.journal.damagedLines;
    const ackPending = this.journal.ackPending;
    const writeError = describeWriteError(this.journal.writeError, this.journal.reserveInUse);
    return {
      pending, failed, pushed: this.journal.pushedTotal, damagedLines, damagedCredits: this.journal.damagedCredits, quarantined: this.quarantined,
      ackPending, writeError, oldestPendingAt: oldest,
      lastPushAt: info.lastPushAt, lastAttemptAt: info.lastAttemptAt, lastError: info.lastError, failedAttempts: info.consecutiveFailures, nextAttemptAt: info.nextAttemptAt,
      flushing: info.flushing, linkAttached: info.attached, freeBytes: this.free, hold: this.holdSwitch.state,
      alarms: outboxAlarms(
        { pending, failed, quarantined: this.quarantined, damageUnsaved: this.journal.damageUnsaved, freeBytes: this.free, writeFailed: writeError !== null, ackPending },
        this.config,
      ),
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

  /**
   * Push now, parked records included, optionally only those whose `at` falls in the range. Refused
   * (OutboxHeldError) while held. Recorded in the push history, whatever the outcome.
   */
  async push(range: TimeRange = {}): Promise<PassReport> {
    const bounds = { from: toMs(range.from), to: toMs(range.to) };
    if (this.holdSwitch.held) {
      await this.pushes.record('manual', { outcome: 'held', attempted: 0, pushed: 0, failed: 0, message: 'on hold' }, bounds).catch(() => undefined);
      throw new OutboxHeldError(this.holdSwitch.state.reason);
    }
    const report = await this.flusher.pushNow(rangeFilter(range));
    await this.pushes.record('manual', report, bounds).catch(() => undefined);
    return report;
  }

  /**
   * The hold switch (durable before it resolves). On: nothing more is sent until it is switched off; credits
   * are still stored. Off: delivery resumes at once.
   */
  async setHold(on: boolean, reason: string | null = null): Promise<HoldState> {
    const state = await this.holdSwitch.set(on, reason);
    if (on) this.flusher.hold();
    else this.flusher.retrySoon();
    this.changed();
    return state;
  }

  /** Past push passes, newest first. */
  pushHistory(limit?: number): PushHistoryEntry[] {
    return this.pushes.list(limit);
  }

  /** Stop flushing (waiting up to `graceMs` for a send in flight) and close the journal. */
  async close(graceMs?: number): Promise<void> {
    this.closed = true;
    if (this.diskTimer) clearInterval(this.diskTimer);
    await this.checking; // a check in flight may be writing a probe or the reserve
    await this.flusher.stop(graceMs);
    await this.pushes.flushed();
    await this.journal.close();
  }

  /**
   * Every 30 s (every 2 s while credits are refused, and after each credit): free space, the quarantine count (moving the copies away clears
   * `corrupt_records`), and after a write failure whether the disk takes writes again (which puts the
   * reserve back and clears `write_failed`). A pending ack is the flusher's to retry.
   */
  private checkDisk(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.checking ??= this.measure()
      .catch(() => undefined) // a check that fails is tried again at the next one
      .finally(() => (this.checking = null));
    return this.checking;
  }

  private async measure(): Promise<void> {
    const before = JSON.stringify(this.state());
    this.measuredAt = Date.now();
    const measure = this.hooks.freeBytes ?? ((dir: string) => (this.hooks.fs ?? nodeFs).freeBytes(dir));
    this.free = await measure(this.dir).catch(() => null);
    this.quarantined = await this.journal.quarantine.count().catch(() => this.quarantined);
    if ((this.journal.writeError || this.journal.reserveInUse) && this.journal.ackPending === 0) await this.journal.recheck();
    if (JSON.stringify(this.state()) !== before) this.changed();
  }

  private changed(): void {
    this.hooks.onState?.(this.state());
  }
}

function describeWriteError(error: NodeJS.ErrnoException | null, reserveInUse: boolean): string | null {
  if (error) return error.message;
  return reserveInUse ? 'disk full: the outbox disk reserve is used up' : null;
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
