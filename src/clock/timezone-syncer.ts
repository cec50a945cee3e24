/**
 * The designed timezone sync, kiosk side: report the machine's zone (with country and city) to the server,
 * take the zone it answers, read its status, and keep the figures the design asks for (successes, failures,
 * success rate, last sync) in the durable record. Automatic after each handshake and then every
 * `autoEveryMs`; manual from the technician; on request from the server's dashboard (realtime
 * `timezone_update`). Never two syncs within `minIntervalMs` (the design's one per minute per device, also
 * across restarts, since the last attempt is on disk). On a server without the endpoint (today's
 * MyRVM-Server) the port says `unsupported` once and the syncer goes quiet: no timer, no request, no log.
 */
import type { z } from 'zod';
import type { TimezoneSyncFigures, TimezoneSyncReply } from '../contract/clock.js';
import { createLogger } from '../log/logger.js';
import type { TimezoneSyncConfig } from './config.js';
import type { TimezoneSyncMethod, TimezoneSyncPort } from './ports.js';
import type { SyncRecord } from './sync-record.js';
import { zonePlace, type ZonePlace } from './zone-place.js';

const log = createLogger('clock');

export type TimezoneSyncFiguresPayload = z.output<typeof TimezoneSyncFigures>;
export type TimezoneSyncReplyPayload = z.output<typeof TimezoneSyncReply>;

/** The clock, as far as the syncer needs it. */
export interface ZoneTarget {
  readonly timezone: string;
  setTimezone(zone: string, source: 'timezone_sync'): boolean;
  setSyncFigures(figures: TimezoneSyncFiguresPayload): void;
}

export interface TimezoneSyncerDeps {
  port: TimezoneSyncPort;
  record: SyncRecord;
  target: ZoneTarget;
  config: TimezoneSyncConfig;
  now?: () => number;
  place?: (zone: string) => ZonePlace;
}

export class TimezoneSyncer {
  private readonly now: () => number;
  private readonly place: (zone: string) => ZonePlace;
  private timer: NodeJS.Timeout | null = null;
  private nextAutoAt: number | null = null;
  private running: Promise<TimezoneSyncReplyPayload> | null = null;
  private pending: TimezoneSyncMethod | null = null;
  private stopped = false;

  constructor(private readonly deps: TimezoneSyncerDeps) {
    this.now = deps.now ?? Date.now;
    this.place = deps.place ?? ((zone) => zonePlace(zone));
  }

  start(): void {
    this.publish();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** A sync as soon as the once-a-minute limit allows (after a handshake; `manual` when the dashboard asked). */
  request(method: TimezoneSyncMethod = 'automatic'): void {
    if (this.stopped || this.absent()) return;
    if (this.pending !== 'manual') this.pending = method;
    if (this.running) return; // the attempt in flight plans the next one when it ends
    this.plan(Math.max(this.now(), this.earliest()));
  }

  /** Realtime `timezone_update`: the dashboard's zone (when it sent one) at once, then a sync to confirm. */
  remoteUpdate(zone: string | null): void {
    if (zone && !this.deps.target.setTimezone(zone, 'timezone_sync')) log.warn('timezone_update carried an unknown zone', { zone });
    this.request('manual');
  }

  /** The technician's "Sync timezone". */
  async syncNow(): Promise<TimezoneSyncReplyPayload> {
    if (this.stopped || this.absent()) return this.reply('unsupported');
    const wait = this.earliest() - this.now();
    if (wait > 0 || this.running) return { ...this.reply('too_soon'), retryInMs: Math.max(0, Math.ceil(wait)) };
    return this.run('manual');
  }

  figures(): TimezoneSyncFiguresPayload {
    const r = this.deps.record.data;
    const attempts = r.successes + r.failures;
    const place = this.place(this.deps.target.timezone);
    return {
      availability: this.deps.port.availability(),
      spelling: r.spelling,
      successes: r.successes,
      failures: r.failures,
      successRate: attempts === 0 ? null : r.successes / attempts,
      lastSyncAt: r.lastSyncAt,
      lastAttemptAt: r.lastAttemptAt,
      lastResult: r.lastResult,
      lastError: r.lastError,
      lastMethod: r.lastMethod,
      country: place.country,
      city: place.city,
      server: r.server,
      nextAutoAt: this.nextAutoAt,
    };
  }

  private absent(): boolean {
    return this.deps.port.availability() === 'absent';
  }

  /** The last attempt plus the minimum interval; a last attempt "in the future" (device clock set back) counts as now. */
  private earliest(): number {
    const last = this.deps.record.data.lastAttemptAt;
    if (last === null) return 0;
    return Math.min(last, this.now()) + this.deps.config.minIntervalMs;
  }

  private plan(at: number): void {
    if (this.timer && this.nextAutoAt !== null && this.nextAutoAt <= at) return;
    this.clearTimer();
    this.nextAutoAt = at;
    this.timer = setTimeout(() => void this.fire(), Math.max(0, at - this.now()));
    this.timer.unref();
    this.publish();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAutoAt = null;
  }

  private async fire(): Promise<void> {
    this.timer = null;
    this.nextAutoAt = null;
    if (this.stopped || this.running) return;
    const wait = this.earliest() - this.now();
    if (wait > 0) return this.plan(this.now() + wait);
    const method = this.pending ?? 'automatic';
    this.pending = null;
    await this.run(method);
  }

  private async run(method: TimezoneSyncMethod): Promise<TimezoneSyncReplyPayload> {
    this.running = this.attempt(method);
    try {
      return await this.running;
    } finally {
      this.running = null;
      this.afterAttempt();
    }
  }

  private afterAttempt(): void {
    if (this.stopped || this.absent()) {
      this.clearTimer();
      this.pending = null;
      this.publish();
      return;
    }
    this.plan(this.pending ? this.earliest() : this.now() + this.deps.config.autoEveryMs);
  }

  private async attempt(method: TimezoneSyncMethod): Promise<TimezoneSyncReplyPayload> {
    const { port, record, target } = this.deps;
    const at = this.now();
    record.update({ lastAttemptAt: at, lastMethod: method });
    const timezone = target.timezone;
    const result = await port.sync({ timezone, ...this.place(timezone), method, at }).catch((err: unknown) => ({ kind: 'failed' as const, reason: `error: ${String(err)}` }));
    if (result.kind === 'unsupported') {
      this.publish();
      return this.reply('unsupported');
    }
    if (result.kind === 'failed') {
      if (record.data.lastResult !== 'failed') log.warn('time-zone sync failed', { reason: result.reason, method });
      record.update({ failures: record.data.failures + 1, lastResult: 'failed', lastError: result.reason });
      this.publish();
      return { ...this.reply('failed'), reason: result.reason };
    }
    if (record.data.lastResult !== 'synced') log.info('time-zone sync works', { spelling: result.spelling, timezone: result.timezone });
    record.update({ successes: record.data.successes + 1, lastSyncAt: this.now(), lastResult: 'synced', lastError: null, spelling: result.spelling });
    if (!target.setTimezone(result.timezone, 'timezone_sync')) log.warn('the server answered an unknown zone', { zone: result.timezone });
    const status = await port.status().catch(() => null);
    if (status) record.update({ server: { ...status, readAt: this.now() } });
    this.publish();
    return { ...this.reply('synced'), timezone: result.timezone };
  }

  private reply(outcome: TimezoneSyncReplyPayload['outcome']): TimezoneSyncReplyPayload {
    return { outcome, timezone: null, retryInMs: null, reason: null, figures: this.figures() };
  }

  private publish(): void {
    this.deps.target.setSyncFigures(this.figures());
  }
}
