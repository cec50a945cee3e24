/**
 * The kiosk's clock: the offset estimate from server samples, the monotonic-safe offset the UI shows,
 * the machine's time zone, and the drift alarm, published as `clock.state` whenever one of them changes.
 *
 * A timer runs once per displayed second, at 0.7 s into it: it notices device clock steps, applies the
 * next backward slew step at the one moment that is safe for the display, and re-checks staleness.
 */
import { createLogger } from '../log/logger.js';
import type { ClockConfig } from './config.js';
import { DeviceClockWatch } from './device-clock-watch.js';
import { delayToStepPhase, isSafeToStepBack, nextDisplayOffset } from './display-offset.js';
import { OffsetEstimator, type OffsetEstimate } from './offset-estimator.js';
import type { TimeSample } from './time-sample.js';
import { SyncRecord } from './sync-record.js';
import type { TimezoneSyncFiguresPayload } from './timezone-syncer.js';
import { TimezoneChoice, type TimezoneSource } from './timezone-choice.js';

const log = createLogger('clock');

export interface ClockStatePayload {
  offsetMs: number;
  timezone: string;
  abbreviation: string;
  synced: boolean;
  source: 'device' | 'server';
  driftAlarm: boolean;
  sync: {
    zoneSource: TimezoneSource | 'config';
    zoneChanges: number;
    lastZoneChangeAt: number | null;
    lastSampleAt: number | null;
    timezoneSync?: TimezoneSyncFiguresPayload;
  };
}

export interface ClockDeps {
  onState: (state: ClockStatePayload) => void;
  wallNow?: () => number;
  monoNow?: () => number;
  /** Durable zone and zone-change count (<dataDir>/clock); in memory when not given. */
  record?: SyncRecord;
}

export class ClockSync {
  private readonly estimator: OffsetEstimator;
  private readonly watch: DeviceClockWatch;
  private readonly zone: TimezoneChoice;
  private readonly wallNow: () => number;
  private displayed: number | null = null;
  private lastDisplay = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private lastEmitted = '';
  readonly record: SyncRecord;
  private syncFigures: TimezoneSyncFiguresPayload | undefined;

  constructor(
    private readonly config: ClockConfig,
    fallbackZone: string,
    private readonly deps: ClockDeps,
  ) {
    this.wallNow = deps.wallNow ?? Date.now;
    this.estimator = new OffsetEstimator(config);
    this.watch = new DeviceClockWatch(this.wallNow, deps.monoNow);
    this.zone = new TimezoneChoice(fallbackZone, config.timezoneOverride);
    this.record = deps.record ?? SyncRecord.inMemory();
    // The zone the server gave before a restart holds until the server speaks again; a local override
    // comes from the configuration each start, so a removed override is not resurrected from the record.
    const saved = this.record.data.zone;
    if (saved && saved.source !== 'local' && saved.source !== 'config') this.zone.set(saved.timezone, saved.source);
    if (!saved || saved.timezone !== this.zone.current || saved.source !== this.zone.source) this.record.update({ zone: { timezone: this.zone.current, source: this.zone.source } });
  }

  start(): void {
    this.publish();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Feed one exchange with the server. Returns false (and logs why) when it was not used. */
  addSample(sample: TimeSample): boolean {
    this.followDeviceSteps();
    const result = this.estimator.add(sample);
    if (!result.accepted) {
      log.info('clock sample not used', { reason: result.reason });
      return false;
    }
    if (result.restarted) log.warn('server or device clock was stepped; clock estimate restarted', {});
    this.adjust(false);
    this.publish();
    return true;
  }

  /** The time zone from the handshake, the kiosk config, timezone sync or a local setting. */
  setTimezone(zone: string, source: TimezoneSource): boolean {
    const before = this.zone.current;
    const ok = this.zone.set(zone, source);
    if (this.zone.current !== before) {
      this.record.update({ zoneChanges: this.record.data.zoneChanges + 1, lastZoneChangeAt: this.wallNow() });
      log.info('machine time zone changed', { from: before, to: this.zone.current, source });
    }
    const saved = this.record.data.zone;
    if (saved?.timezone !== this.zone.current || saved.source !== this.zone.source) this.record.update({ zone: { timezone: this.zone.current, source: this.zone.source } });
    if (!ok) log.warn('ignored an unknown time zone', { zone, source });
    this.publish();
    return ok;
  }

  /** Best estimate of server time now. May jump either way when a new sample arrives. */
  serverNow(): number {
    return this.wallNow() + (this.estimate()?.offsetMs ?? 0);
  }

  /** What the UI shows: device time plus the displayed offset, never less than a previous reading. */
  displayNow(): number {
    const now = this.wallNow() + (this.displayed ?? 0);
    this.lastDisplay = Math.max(this.lastDisplay, now);
    return this.lastDisplay;
  }

  get timezone(): string {
    return this.zone.current;
  }

  /** The timezone-sync figures (timezone-syncer.ts), shown with the clock state. */
  setSyncFigures(figures: TimezoneSyncFiguresPayload): void {
    this.syncFigures = figures;
    this.publish();
  }

  state(): ClockStatePayload {
    const estimate = this.estimate();
    const synced = estimate !== null && this.wallNow() - estimate.lastSampleAt <= this.config.staleAfterMs;
    return {
      offsetMs: Math.round(this.displayed ?? 0),
      timezone: this.zone.current,
      abbreviation: this.zone.abbreviation(this.serverNow()),
      synced,
      source: synced ? 'server' : 'device',
      driftAlarm: estimate !== null && Math.abs(estimate.offsetMs) > this.config.driftAlarmMs,
      sync: {
        zoneSource: this.zone.source,
        zoneChanges: this.record.data.zoneChanges,
        lastZoneChangeAt: this.record.data.lastZoneChangeAt,
        lastSampleAt: estimate?.lastSampleAt ?? null,
        ...(this.syncFigures ? { timezoneSync: this.syncFigures } : {}),
      },
    };
  }

  private estimate(): OffsetEstimate | null {
    return this.estimator.estimate(this.wallNow());
  }

  /** Move the displayed offset toward the estimate; backward steps only when the timer says it is safe. */
  private adjust(atStepPhase: boolean): void {
    const estimate = this.estimate();
    if (!estimate) return;
    const next = nextDisplayOffset(this.displayed, estimate.offsetMs, this.config);
    const backward = this.displayed !== null && next.offsetMs < this.displayed;
    if (backward && !(atStepPhase && isSafeToStepBack(this.wallNow() + this.displayed!, this.displayed! - next.offsetMs))) return;
    this.displayed = next.offsetMs;
  }

  private followDeviceSteps(): void {
    const delta = this.watch.check();
    if (delta === 0) return;
    log.warn('device clock was stepped', { deltaMs: delta });
    this.estimator.shift(delta);
    if (this.displayed !== null) this.displayed -= delta;
  }

  private tick(): void {
    this.timer = null;
    this.followDeviceSteps();
    this.adjust(true);
    this.publish();
    this.schedule();
  }

  private schedule(): void {
    const delay = delayToStepPhase(this.wallNow() + (this.displayed ?? 0)) || 1000;
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref();
  }

  private publish(): void {
    const state = this.state();
    const key = JSON.stringify(state);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.deps.onState(state);
  }
}
