/**
 * Machine monitoring, put together: readings in (`observe`) → judged by the rules → alert transitions; the
 * readings that changed (or whose heartbeat is due) → the durable history. `start(read)` reads every sensor
 * each `sampleMs` and ages the history every 10 minutes. Where readings come from and where transitions go
 * is the caller's business (src/app/setup-monitoring.ts): this folder knows no hardware, UI or status board.
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Alert, AlertActor, AlertTransition, Reading } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { fsyncDir } from '../storage/durable-fs.js';
import { AlertBook, type AlertFilter } from './alert-book.js';
import { ChangeFilter } from './change-filter.js';
import { resolveRules, type EffectiveRule, type MonitoringConfig, type RuleContext } from './config.js';
import { HistoryStore } from './history-store.js';
import { downsample, type HistoryPoint } from './rollup.js';
import { RuleEngine, type Decision } from './rules.js';
import { sensorSpec } from './sensors.js';

const log = createLogger('monitoring');
const MAINTAIN_EVERY_MS = 10 * 60_000;
const SYSTEM: AlertActor = { kind: 'system' };

export interface MonitoringOptions {
  settings: MonitoringConfig;
  rules: Omit<RuleContext, 'server'>;
  now?: () => number;
  /** Each batch of readings once it is in the history. */
  onReadings?: (readings: Reading[]) => void;
  /** Each alert transition once it is on disk. */
  onTransition?: (transition: AlertTransition) => void;
}

export class Monitoring {
  private readonly engine: RuleEngine;
  private readonly filter: ChangeFilter;
  private readonly latestBySensor = new Map<string, Reading>();
  private serverThresholds: Record<string, number> = {};
  private timers: NodeJS.Timeout[] = [];
  private sampling = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly now: () => number;

  private constructor(
    readonly history: HistoryStore,
    readonly alerts: AlertBook,
    private readonly options: MonitoringOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.engine = new RuleEngine(this.effectiveRules());
    this.filter = new ChangeFilter(options.settings.heartbeatMs, (sensor) => sensorSpec(sensor)?.deadband ?? 0);
  }

  /** Open (or create) `<dir>/history/` and `<dir>/alerts.jnl`; open alerts carry on where they were. */
  static async open(dir: string, options: MonitoringOptions): Promise<Monitoring> {
    const now = options.now ?? Date.now;
    await mkdir(path.join(dir, 'history'), { recursive: true });
    await fsyncDir(dir);
    await fsyncDir(path.dirname(dir));
    const history = await HistoryStore.open(path.join(dir, 'history'), { ...options.settings.history, now });
    let monitoring: Monitoring | null = null;
    const alerts = await AlertBook.open(path.join(dir, 'alerts.jnl'), {
      retentionMs: options.settings.alertRetentionMs,
      now,
      onTransition: (t) => monitoring?.options.onTransition?.(t),
    });
    monitoring = new Monitoring(history, alerts, options);
    await monitoring.adoptOpenAlerts();
    return monitoring;
  }

  rules(): EffectiveRule[] {
    return this.engine.list();
  }

  /** The latest reading of every sensor seen since start. */
  latest(): Reading[] {
    return [...this.latestBySensor.values()];
  }

  /**
   * A threshold sent by the server, by rule id or prefix (`bin_full` → every bin rule); null withdraws it.
   * The rules are judged again at their next reading; open alerts keep the threshold they were raised at.
   */
  setServerThreshold(key: string, value: number | null): void {
    if (value === null) delete this.serverThresholds[key];
    else this.serverThresholds[key] = value;
    this.engine.setRules(this.effectiveRules());
  }

  /** Judge every reading; write those that changed (or are due) to the history. */
  observe(readings: readonly Reading[]): Promise<void> {
    return this.track(() => this.judgeAndWrite(readings));
  }

  /** Raise the rules whose duration has run out between readings. */
  tick(): Promise<void> {
    return this.track(() => this.apply(this.engine.tick(this.now())));
  }

  private async judgeAndWrite(readings: readonly Reading[]): Promise<void> {
    const decisions: Decision[] = [];
    for (const reading of readings) {
      if (!Number.isFinite(reading.value)) continue;
      this.latestBySensor.set(reading.sensor, reading);
      decisions.push(...this.engine.observe(reading));
    }
    const changed = this.filter.select(readings.filter((r) => Number.isFinite(r.value)));
    await Promise.all([this.apply(decisions), this.write(changed)]);
  }

  /** Every sensor each `sampleMs` (overlapping reads are skipped), the history aged every 10 minutes. */
  start(read: () => Reading[] | Promise<Reading[]>): void {
    const sample = async () => {
      if (this.sampling) return;
      this.sampling = true;
      try {
        await this.observe(await read());
        await this.tick();
      } catch (err) {
        log.warn('sampling failed', { error: String(err) });
      } finally {
        this.sampling = false;
      }
    };
    const maintain = () => void this.history.maintain().catch((err: unknown) => log.warn('history maintenance failed', { error: String(err) }));
    this.timers.push(setInterval(() => void sample(), this.options.settings.sampleMs), setInterval(maintain, MAINTAIN_EVERY_MS));
    for (const timer of this.timers) timer.unref();
    maintain();
    void sample();
  }

  /** One sensor over [from, to), averaged down to at most `maxPoints` points. */
  points(sensor: string, from: number, to: number, maxPoints: number): HistoryPoint[] {
    return downsample(this.history.query(sensor, from, to), from, to, maxPoints);
  }

  listAlerts(filter: AlertFilter): { total: number; alerts: Alert[] } {
    return this.alerts.list(filter);
  }

  acknowledge(id: string, by: AlertActor, note: string | null): Promise<Alert> {
    return this.alerts.acknowledge(id, by, note);
  }

  /** A technician's resolve; if the condition still holds, the rule raises again once it has held its duration. */
  async resolve(id: string, by: AlertActor, note: string): Promise<Alert> {
    const alert = await this.alerts.resolve(id, by, note);
    this.engine.setActive(alert.rule, false, this.now());
    return alert;
  }

  /** Stops the timers, lets what is in flight land, then closes the files; later readings are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.allSettled([...this.inFlight]);
    await Promise.all([this.history.close(), this.alerts.close()]);
  }

  private async track(work: () => Promise<void>): Promise<void> {
    if (this.closed) return;
    const run = work();
    this.inFlight.add(run);
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  private effectiveRules(): EffectiveRule[] {
    return resolveRules(this.options.settings.rules, { ...this.options.rules, server: this.serverThresholds });
  }

  private async adoptOpenAlerts(): Promise<void> {
    const now = this.now();
    for (const alert of this.alerts.open()) {
      if (this.engine.get(alert.rule)) this.engine.setActive(alert.rule, true, now);
      else await this.alerts.resolve(alert.id, SYSTEM, 'the rule is no longer configured');
    }
  }

  private async apply(decisions: readonly Decision[]): Promise<void> {
    for (const d of decisions) {
      try {
        if (d.kind === 'raise') await this.alerts.raise(d.rule, d.value, d.at);
        else await this.alerts.resolveRule(d.rule.id, SYSTEM, `cleared: ${d.rule.sensor} ${format(d.value)}`);
      } catch (err) {
        // Not on disk, so not done: put the rule back so its next reading tries again.
        this.engine.setActive(d.rule.id, d.kind === 'clear', this.now());
        log.error('could not record an alert transition', { rule: d.rule.id, kind: d.kind, error: String(err) });
      }
    }
  }

  private async write(readings: Reading[]): Promise<void> {
    if (readings.length === 0) return;
    try {
      await this.history.append(readings);
      this.filter.markWritten(readings);
    } catch (err) {
      log.error('could not write readings to the history', { error: String(err) });
      return;
    }
    this.options.onReadings?.(readings);
  }
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
