/**
 * Alerts and their lifecycle: raised → acknowledged → resolved (by the system when the condition clears, or
 * by a technician with a note; acknowledging is optional). Every transition is stamped with when and who and
 * appended to `alerts.jnl` as the alert's whole new state, fsynced before it counts: the transition is
 * announced (`onTransition`) only once it is on disk. On open the journal is replayed (the last state of
 * each alert wins), so open alerts survive a restart; the file is rewritten (atomically) without resolved
 * alerts older than the retention at start when there are any, and whenever it has doubled in size.
 *
 * Transitions run one at a time, so a technician's resolve and the system's cannot both land.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, AlertActor, AlertStatus, AlertTransition, DeliveryRecord } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { replaceFileAtomic } from '../storage/durable-fs.js';
import type { EffectiveRule } from './config.js';
import { AppendFile, encodeLine } from './journal.js';

const log = createLogger('monitoring.alerts');
const COMPACT_OVER_BYTES = 1024 * 1024;

export class AlertError extends Error {}

export interface AlertFilter {
  /** `open` = raised or acknowledged. */
  status?: AlertStatus | 'open';
  rule?: string;
  /** Alerts raised in [from, to). */
  from?: number;
  to?: number;
  /** Case-insensitive, in the rule, sensor, severity and notes. */
  text?: string;
  limit?: number;
}

export interface AlertBookOptions {
  retentionMs: number;
  now?: () => number;
  onTransition?: (transition: AlertTransition) => void;
}

export class AlertBook {
  private readonly alerts = new Map<string, Alert>();
  private turn: Promise<unknown> = Promise.resolve();
  private compactedSize = 0;
  private readonly now: () => number;

  private constructor(
    private readonly file: string,
    private journal: AppendFile,
    private readonly options: AlertBookOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  static async open(file: string, options: AlertBookOptions): Promise<AlertBook> {
    const { journal, parsed } = await AppendFile.open<Alert>(file);
    const book = new AlertBook(file, journal, options);
    for (const alert of parsed.entries) if (alert && typeof alert.id === 'string') book.alerts.set(alert.id, alert);
    if (parsed.corrupt > 0) log.warn('alert journal has damaged lines (skipped)', { lines: parsed.corrupt });
    book.compactedSize = journal.size;
    const cutoff = book.now() - options.retentionMs;
    const expired = [...book.alerts.values()].some((a) => a.status === 'resolved' && a.updatedAt < cutoff);
    if (expired || journal.size > COMPACT_OVER_BYTES) await book.compact();
    return book;
  }

  /** Raised and acknowledged alerts, oldest first. */
  open(): Alert[] {
    return [...this.alerts.values()].filter((a) => a.status !== 'resolved').sort((a, b) => a.raisedAt - b.raisedAt);
  }

  openFor(rule: string): Alert | undefined {
    return this.open().find((a) => a.rule === rule);
  }

  get(id: string): Alert | undefined {
    return this.alerts.get(id);
  }

  /** The log, newest first, filtered; `total` counts every match before the limit. */
  list(filter: AlertFilter = {}): { total: number; alerts: Alert[] } {
    const text = filter.text?.trim().toLowerCase();
    const matches = [...this.alerts.values()]
      .filter((a) => {
        if (filter.status === 'open' ? a.status === 'resolved' : filter.status !== undefined && a.status !== filter.status) return false;
        if (filter.rule !== undefined && a.rule !== filter.rule && !a.rule.startsWith(`${filter.rule}.`)) return false;
        if (filter.from !== undefined && a.raisedAt < filter.from) return false;
        if (filter.to !== undefined && a.raisedAt >= filter.to) return false;
        return !text || searchText(a).includes(text);
      })
      .sort((a, b) => b.raisedAt - a.raisedAt);
    return { total: matches.length, alerts: filter.limit === undefined ? matches : matches.slice(0, filter.limit) };
  }

  raise(rule: EffectiveRule, value: number, at = this.now()): Promise<Alert> {
    return this.serial(async () => {
      const existing = this.openFor(rule.id);
      if (existing) return existing;
      const by: AlertActor = { kind: 'system' };
      const alert: Alert = {
        id: randomUUID(),
        rule: rule.id,
        sensor: rule.sensor,
        severity: rule.severity,
        effect: rule.effect,
        status: 'raised',
        value,
        threshold: rule.threshold,
        thresholdSource: rule.thresholdSource,
        raisedAt: at,
        updatedAt: at,
        history: [{ status: 'raised', at, by, note: null }],
      };
      await this.commit(alert, by);
      return alert;
    });
  }

  acknowledge(id: string, by: AlertActor, note: string | null = null): Promise<Alert> {
    return this.serial(async () => {
      const alert = this.need(id);
      if (alert.status === 'resolved') throw new AlertError(`alert ${id} is already resolved`);
      if (alert.status === 'acknowledged' && note === null) return alert;
      return this.commit(moved(alert, 'acknowledged', this.now(), by, note), by);
    });
  }

  resolve(id: string, by: AlertActor, note: string | null): Promise<Alert> {
    return this.serial(async () => {
      const alert = this.need(id);
      if (alert.status === 'resolved') throw new AlertError(`alert ${id} is already resolved`);
      return this.commit(moved(alert, 'resolved', this.now(), by, note), by);
    });
  }

  /** Resolve the open alert of `rule`, if there is one (the system: its condition cleared). */
  resolveRule(rule: string, by: AlertActor, note: string | null): Promise<Alert | null> {
    return this.serial(async () => {
      const alert = this.openFor(rule);
      return alert ? this.commit(moved(alert, 'resolved', this.now(), by, note), by) : null;
    });
  }

  /**
   * Note how one transition (`status` at `at`) reached a channel, on the alert itself, durably. Not a
   * transition: nothing is announced. Returns the updated alert, or null when the alert or the transition
   * is no longer kept (retention) — a late delivery then has nowhere to go and is dropped.
   */
  recordDelivery(id: string, transition: { status: AlertStatus; at: number }, channel: 'webhook', record: DeliveryRecord): Promise<Alert | null> {
    return this.serial(async () => {
      const alert = this.alerts.get(id);
      const index = alert?.history.findIndex((h) => h.status === transition.status && h.at === transition.at) ?? -1;
      if (!alert || index < 0) return null;
      const entry = alert.history[index]!;
      const known = entry.delivery?.[channel];
      if (known && known.status === record.status && known.at === record.at) return alert;
      const history = alert.history.map((h, i) => (i === index ? { ...h, delivery: { ...h.delivery, [channel]: record } } : h));
      const updated: Alert = { ...alert, history };
      await this.journal.append([updated]);
      this.alerts.set(id, updated);
      return updated;
    });
  }

  async close(): Promise<void> {
    await this.serial(() => this.journal.close());
  }

  private need(id: string): Alert {
    const alert = this.alerts.get(id);
    if (!alert) throw new AlertError(`no alert ${id}`);
    return alert;
  }

  private async commit(alert: Alert, by: AlertActor): Promise<Alert> {
    await this.journal.append([alert]);
    this.alerts.set(alert.id, alert);
    const last = alert.history.at(-1)!;
    this.options.onTransition?.({ alert, to: last.status, at: last.at, by });
    if (this.journal.size > 2 * this.compactedSize + COMPACT_OVER_BYTES) {
      // The transition is already durable; a failed rewrite only leaves the journal longer.
      await this.compact().catch((err: unknown) => log.warn('alert journal compaction failed', { error: String(err) }));
    }
    return alert;
  }

  /** Rewrite the journal with open alerts and those resolved within the retention. */
  private async compact(): Promise<void> {
    const cutoff = this.now() - this.options.retentionMs;
    for (const [id, a] of this.alerts) if (a.status === 'resolved' && a.updatedAt < cutoff) this.alerts.delete(id);
    const kept = [...this.alerts.values()].sort((a, b) => a.updatedAt - b.updatedAt);
    await this.journal.close();
    try {
      await replaceFileAtomic(this.file, kept.map(encodeLine).join(''));
    } finally {
      this.journal = (await AppendFile.open<Alert>(this.file)).journal;
    }
    this.compactedSize = this.journal.size;
    log.info('alert journal compacted', { alerts: kept.length, bytes: this.compactedSize });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}

function moved(alert: Alert, status: AlertStatus, at: number, by: AlertActor, note: string | null): Alert {
  return { ...alert, status, updatedAt: at, history: [...alert.history, { status, at, by, note }] };
}

function searchText(a: Alert): string {
  const notes = a.history.map((h) => `${h.note ?? ''} ${h.by.kind === 'technician' ? h.by.name : ''}`).join(' ');
  return `${a.rule} ${a.sensor} ${a.severity} ${a.status} ${notes}`.toLowerCase();
}
