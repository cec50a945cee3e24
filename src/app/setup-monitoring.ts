/**
 * Machine monitoring (docs/monitoring.md): every `monitoring.sampleMs` it reads what the kiosk knows — the
 * machine (`hardware.status`), bins at once from the bus (`machine.bins`), camera and model
 * (`detection.state`), outbox, server link, clock, machine status, and the computer (CPU, memory,
 * temperature, free disk under dataDir) — into the history under <dataDir>/monitoring, judged by the rules.
 * Each written batch goes on the bus as `monitoring.readings`, each alert transition as `monitoring.alert`
 * and to screens as `monitoring.alerts`; an open alert whose effect stops sessions is the out-of-service
 * reason `alert:<rule>`; one that stops a material refuses that material (status.availability, reason
 * `stopped_by_alert`) and leaves a notice for technicians. The server's bin-full threshold from the
 * handshake wins over the configured one. Acknowledge and resolve are stamped with the technician signed in
 * to maintenance mode.
 */
import { statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandError } from '../core/kiosk-core.js';
import type { Alert, AlertActor, Reading } from '../domain/events.js';
import { hardwareConfig } from '../hardware/config.js';
import { createLogger } from '../log/logger.js';
import { AlertError } from '../monitoring/alert-book.js';
import { EventWindow } from '../monitoring/change-filter.js';
import { alertsCsv, historyCsvAsync } from '../monitoring/csv.js';
import { DailyTally, localDay } from '../monitoring/daily-tally.js';
import { Monitoring } from '../monitoring/monitoring.js';
import { SENSOR_IDS, sensorSpec } from '../monitoring/sensors.js';
import * as sources from '../monitoring/sources.js';
import type { ServerLink } from '../server/server-link.js';
import { CpuMeter, clampPercent, cpuTemperature } from '../server/system-info.js';
import type { KioskContext } from './context.js';

const log = createLogger('app.monitoring');
const HOUR = 60 * 60_000;
const MAX_EXPORT_ROWS = 1_000_000;

export interface MonitoringDeps {
  /** The server link, for the handshake's bin-full threshold; null without one. */
  link: ServerLink | null;
  /** Maintenance mode: who acknowledges and resolves. */
  maintenance: { technicianIdentity(): { name: string; assignmentId: number | null } | null };
  now?: () => number;
}

export async function setupMonitoring(ctx: KioskContext, deps: MonitoringDeps): Promise<Monitoring> {
  const { core, bus, status, config } = ctx;
  const now = deps.now ?? Date.now;
  const dir = path.join(config.dataDir, 'monitoring');
  const startedAt = now();
  let monitoring: Monitoring | null = null;

  const publishOpen = () => monitoring && core.emit('monitoring.alerts', { open: monitoring.alerts.open() });
  const applyEffect = (alert: Alert) => {
    const code = `alert:${alert.rule}`;
    const open = alert.status !== 'resolved';
    if (alert.effect.kind === 'stop_sessions') {
      if (open) status.raise(code, describe(alert));
      else status.clear(code);
    } else if (alert.effect.kind === 'stop_material') {
      status.availability.stopMaterial(alert.effect.material, code, open);
      if (open) status.notice(code, `${alert.effect.material} not accepted: ${describe(alert)}`);
      else status.clearNotice(code);
    }
  };

  monitoring = await Monitoring.open(dir, {
    settings: config.monitoring,
    rules: { binFullPercent: config.hardware.binFullPercent, binFullConfigured: config.hardware.binFullPercent !== hardwareConfig.parse({}).binFullPercent },
    now,
    onReadings: (readings) => bus.emit('monitoring.readings', readings),
    onTransition: (transition) => {
      applyEffect(transition.alert);
      bus.emit('monitoring.alert', transition);
      publishOpen();
    },
  });
  const m = monitoring;
  for (const alert of m.alerts.open()) applyEffect(alert);
  publishOpen();

  const timezone = () => core.current('clock.state')?.timezone ?? config.timezone;
  const tally = await DailyTally.open(path.join(dir, 'tally.json'), (ms) => localDay(ms, timezone()), now);
  const read = sampler(ctx, now);
  let detectorStatus = core.current('detection.state')?.status ?? null;
  const offs = [
    bus.on('machine.bins', (levels) => void m.observe(sources.binReadings(levels, now()))),
    ctx.bus.on('session.item', (item) => void tally.add(item)),
    ctx.bus.on('detection.outcome', (outcome) => {
      if (outcome.kind === 'result') {
        if (outcome.reason === 'detector_error') read.detectorErrors.note(now());
        return;
      }
      if (outcome.status === 'error' && detectorStatus !== 'error') read.detectorErrors.note(now());
      detectorStatus = outcome.status;
    }),
  ];
  if (deps.link) offs.push(followServerThreshold(deps.link, m));
  m.start(read.all);

  const actor = (): AlertActor => {
    const who = deps.maintenance.technicianIdentity();
    return who ? { kind: 'technician', name: who.name, assignmentId: who.assignmentId } : { kind: 'system' };
  };
  const lifecycle = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw err instanceof AlertError ? new CommandError('alert_refused', err.message) : err;
    }
  };

  core.handle('monitoring.alerts', (request) => {
    const list = m.listAlerts({
      limit: request.limit ?? 100,
      ...(request.status ? { status: request.status } : {}),
      ...(request.rule ? { rule: request.rule } : {}),
      ...(request.from !== undefined ? { from: toMs(request.from) } : {}),
      ...(request.to !== undefined ? { to: toMs(request.to) } : {}),
      ...(request.text ? { text: request.text } : {}),
    });
    return { open: m.alerts.open(), ...list };
  });
  core.handle('monitoring.acknowledge', ({ id, note }) => lifecycle(() => m.acknowledge(id, actor(), note ?? null)));
  core.handle('monitoring.resolve', ({ id, note }) => lifecycle(() => m.resolve(id, actor(), note)));
  core.handle('monitoring.history', ({ sensor, from, to, maxPoints }) => {
    if (!sensorSpec(sensor) && !m.history.sensors().includes(sensor)) throw new CommandError('unknown_sensor', `unknown sensor "${sensor}"`);
    const range = { from: toMs(from), to: to === undefined ? now() : toMs(to) };
    const points = m.points(sensor, range.from, range.to, maxPoints ?? 500).map(({ at, value, min, max }) => ({ at, value, min, max }));
    return { sensor, unit: sensorSpec(sensor)?.unit ?? '', ...range, points };
  });
  core.handle('monitoring.sensors', () => {
    const latest = new Map(m.latest().map((r) => [r.sensor, r]));
    const names = [...new Set<string>([...SENSOR_IDS, ...latest.keys()])];
    return {
      sensors: names.map((sensor) => ({ sensor, label: sensorSpec(sensor)?.label ?? sensor, unit: sensorSpec(sensor)?.unit ?? '', value: latest.get(sensor)?.value ?? null, at: latest.get(sensor)?.at ?? null })),
    };
  });
  core.handle('monitoring.summary', () => {
    const open = m.alerts.open();
    const bySeverity = (s: Alert['severity']) => open.filter((a) => a.severity === s).length;
    return {
      ...tally.summary(),
      openAlerts: { total: open.length, critical: bySeverity('critical'), warning: bySeverity('warning'), info: bySeverity('info') },
      uptimeMs: Math.max(0, now() - startedAt),
      systemUptimeMs: Math.round(os.uptime() * 1000),
      startedAt,
    };
  });
  core.handle('monitoring.exportCsv', async ({ kind, from, to, sensor }) => {
    const range = { from: toMs(from), to: to === undefined ? now() : toMs(to) };
    const day = (ms: number) => localDay(ms, timezone()).replaceAll('-', '');
    const filename = `rvm-${kind}${sensor ? `-${sensor}` : ''}-${day(range.from)}-${day(range.to - 1)}.csv`;
    const result = kind === 'alerts' ? alertsCsv(m.listAlerts({ from: range.from, to: range.to }).alerts.reverse()) : await historyCsvAsync(capped(m.history.rows(range.from, range.to, sensor)));
    return { filename, ...result };
  });

  core.onDispose(async () => {
    for (const off of offs) off();
    await m.close();
    await tally.flush();
  });
  log.info('monitoring started', { rules: m.rules().length, openAlerts: m.alerts.open().length });
  return m;
}

/** Everything read each sample; `detectorErrors` is fed by detection's events between samples. */
function sampler(ctx: KioskContext, now: () => number): { all: () => Promise<Reading[]>; detectorErrors: EventWindow } {
  const { core, config } = ctx;
  const cpu = new CpuMeter();
  const detectorErrors = new EventWindow(HOUR);
  const jams = new EventWindow(HOUR);
  let jammed = false;
  let hardwareMissing = false;

  const all = async (): Promise<Reading[]> => {
    const at = now();
    const out: Reading[] = [];
    try {
      const hw = await core.call('hardware.status', {});
      if (hw.faults.includes('jam') && !jammed) jams.note(at);
      jammed = hw.faults.includes('jam');
      out.push(...sources.hardwareReadings(hw, at));
    } catch (err) {
      if (!hardwareMissing) log.warn('machine sensors unavailable', { error: String(err) });
      hardwareMissing = true;
    }
    out.push({ sensor: 'machine.jams_1h', value: jams.count(at), at }, { sensor: 'detection.errors_1h', value: detectorErrors.count(at), at });
    const detection = core.current('detection.state');
    if (detection) out.push(...sources.detectionReadings(detection, at));
    const outbox = core.current('outbox.state');
    if (outbox) out.push(...sources.outboxReadings(outbox, at));
    const server = core.current('server.state');
    if (server) out.push(...sources.serverReadings(server, at));
    const clock = core.current('clock.state');
    if (clock) out.push(...sources.clockReadings(clock, at));
    const machine = core.current('system.status');
    if (machine) out.push(...sources.statusReadings(machine, at));
    const memory = process.memoryUsage();
    out.push(...sources.hostReadings({ cpuPercent: cpu.usagePercent(), memoryPercent: clampPercent((1 - os.freemem() / os.totalmem()) * 100), cpuTemperature: cpuTemperature(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, freeDiskBytes: freeBytes(config.dataDir) }, at));
    return out;
  };
  return { all, detectorErrors };
}

/** The handshake's `bin_full_threshold_percent` (1–100) beats the configured bin threshold. */
function followServerThreshold(link: ServerLink, monitoring: Monitoring): () => void {
  const apply = (value: number | undefined) => {
    if (value === undefined || !Number.isFinite(value) || value < 1 || value > 100) return;
    monitoring.setServerThreshold('bin_full', value);
  };
  apply(link.handshakeInfo?.policy?.bin_full_threshold_percent);
  return link.onHandshake((info) => apply(info.policy?.bin_full_threshold_percent));
}

function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function toMs(bound: number | string): number {
  return typeof bound === 'number' ? bound : Date.parse(bound);
}

function describe(alert: Alert): string {
  const unit = sensorSpec(alert.sensor)?.unit;
  const shown = unit && unit !== 'flag' && unit !== 'count' ? ` ${unit}` : '';
  return `${alert.sensor} ${alert.value}${shown} (threshold ${alert.threshold}, ${alert.thresholdSource})`;
}

function* capped<T>(rows: Iterable<T>): Generator<T> {
  let n = 0;
  for (const row of rows) {
    if (++n > MAX_EXPORT_ROWS) throw new CommandError('export_too_large', `more than ${MAX_EXPORT_ROWS} rows: export a shorter range or one sensor`);
    yield row;
  }
}
