/**
 * The bodies of the handshake and the heartbeat: what the kiosk tells the server about itself. Built fresh
 * for every call (addresses and load change), and shaped for the real server's rules: `ip_local` always
 * present, `ip_vpn` an IP or null, health percentages within 0–100, field lengths within the limits.
 *
 * Open alerts (monitoring) ride in `diagnostics`: the handshake validates it only as "an array" and stores
 * it (`edge_devices.diagnostics_log`); the heartbeat validates nothing and ignores fields it does not know,
 * so there it is a harmless extra that a server reading it would understand. `status` stays
 * online/maintenance: the real heartbeat overwrites the machine's status with `online` anyway. The designed
 * telemetry and metrics bodies are built here too (docs/monitoring.md, "Where alerts go").
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Alert, Reading } from '../domain/events.js';
import type { HandshakeRequest, HealthMetrics, HeartbeatRequest } from './schemas/edge.js';
import { CpuMeter, healthMetrics, ipOrNull, jetpackVersion, localIp, vpnIp } from './system-info.js';
import { thermalZones } from './thermal-zones.js';

export interface DeviceReportOptions {
  hardwareId: string;
  fallbackName: string;
  timezone: string;
  version: string;
  dataDir: string;
  binCapacity?: () => number;
  machineStatus?: () => string;
  hardwareInfo?: () => HandshakeRequest['hardware_info'];
  /** Open alerts for `diagnostics`; null (or no function) = monitoring not wired: no `diagnostics` sent. */
  openAlerts?: () => readonly Alert[] | null;
}

/** At most this many alerts are listed; the counts cover all of them. */
const MAX_LISTED_ALERTS = 20;

export interface ServerAlert {
  id: string;
  rule: string;
  sensor: string;
  severity: string;
  status: string;
  value: number;
  threshold: number;
  raised_at: string;
}

export interface AlertDiagnostics {
  open_alert_count: number;
  alerts_by_severity: { critical: number; warning: number; info: number };
  open_alerts: ServerAlert[];
}

/** Designed `POST /api/v1/edge/telemetry` (after the server's unused `edge_telemetry` table). */
export interface TelemetryRequest {
  hardware_id: string;
  batch_id: string;
  client_timestamp: string;
  sensor_data: Array<{ sensor: string; value: number; at: string }>;
  device_stats: HealthMetrics;
  open_alert_count: number;
}

/** Designed `POST /api/v2/rvms/{id}/metrics`: one summary per sensor over the period. */
export interface MetricsRequest {
  timestamp: string;
  period_start: string;
  period_end: string;
  metrics: Record<string, { last: number; min: number; max: number; avg: number; count: number }>;
  health_metrics: HealthMetrics;
  /** Every thermal zone of the host, °C by zone type (e.g. `CPU-therm`, `GPU-therm` on a Jetson); {} where none. */
  temperatures: Record<string, number>;
  /** Items the recyclers put in during the period: accepted, and handed back (rejected). */
  items: { accepted: number; rejected: number };
  diagnostics: AlertDiagnostics;
}

const iso = (ms: number) => new Date(ms).toISOString();

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Counts of all open alerts, and the most severe (then oldest) MAX_LISTED_ALERTS of them. */
export function alertDiagnostics(alerts: readonly Alert[]): AlertDiagnostics {
  const bySeverity = { critical: 0, warning: 0, info: 0 };
  for (const a of alerts) bySeverity[a.severity] += 1;
  const listed = [...alerts].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.raisedAt - b.raisedAt).slice(0, MAX_LISTED_ALERTS);
  return {
    open_alert_count: alerts.length,
    alerts_by_severity: bySeverity,
    open_alerts: listed.map((a) => ({
      id: a.id,
      rule: a.rule,
      sensor: a.sensor,
      severity: a.severity,
      status: a.status,
      value: a.value,
      threshold: a.threshold,
      raised_at: iso(a.raisedAt),
    })),
  };
}

export class DeviceReport {
  private readonly cpu = new CpuMeter();

  constructor(private readonly opts: DeviceReportOptions) {}

  handshake(): HandshakeRequest & { diagnostics?: AlertDiagnostics } {
    const jetpack = jetpackVersion();
    return {
      hardware_id: this.opts.hardwareId.slice(0, 100),
      // The reference edge sends its hostname here.
      name: os.hostname().slice(0, 255) || this.opts.fallbackName,
      ip_local: ipOrNull(localIp()),
      ip_vpn: ipOrNull(vpnIp()),
      timezone: this.opts.timezone.slice(0, 50),
      system: { firmware_version: this.opts.version, ...(jetpack ? { jetpack_version: jetpack } : {}) },
      controller_type: 'rvm-kiosk',
      health_metrics: healthMetrics(this.cpu, this.opts.dataDir),
      hardware_info: this.opts.hardwareInfo?.() ?? { cameras: [], sensors: [], actuators: [], microcontroller: [] },
      ...this.diagnostics(),
    };
  }

  heartbeat(): HeartbeatRequest & { diagnostics?: AlertDiagnostics } {
    const vpn = ipOrNull(vpnIp());
    return {
      hardware_id: this.opts.hardwareId,
      status: this.opts.machineStatus?.() ?? 'online',
      version: this.opts.version,
      bin_capacity: Math.round(Math.min(100, Math.max(0, this.opts.binCapacity?.() ?? 0))),
      health_metrics: healthMetrics(this.cpu, this.opts.dataDir),
      ip_local: ipOrNull(localIp()),
      ...(vpn ? { tailscale_ip: vpn } : {}),
      ...this.diagnostics(),
    };
  }

  telemetry(readings: readonly Reading[], now = Date.now()): TelemetryRequest {
    return {
      hardware_id: this.opts.hardwareId,
      batch_id: randomUUID(),
      client_timestamp: iso(now),
      sensor_data: readings.map((r) => ({ sensor: r.sensor, value: r.value, at: iso(r.at) })),
      device_stats: healthMetrics(this.cpu, this.opts.dataDir),
      open_alert_count: this.opts.openAlerts?.()?.length ?? 0,
    };
  }

  /** `readings` summarised per sensor; the period runs from `since` (the previous send) to `now`. */
  metrics(readings: readonly Reading[], since: number, now = Date.now(), items = { accepted: 0, rejected: 0 }): MetricsRequest {
    const metrics: MetricsRequest['metrics'] = {};
    const lastAt: Record<string, number> = {};
    for (const r of readings) {
      const m = (metrics[r.sensor] ??= { last: r.value, min: r.value, max: r.value, avg: 0, count: 0 });
      m.min = Math.min(m.min, r.value);
      m.max = Math.max(m.max, r.value);
      m.avg += r.value; // the sum until the end of the loop
      m.count += 1;
      if (r.at >= (lastAt[r.sensor] ?? -Infinity)) {
        lastAt[r.sensor] = r.at;
        m.last = r.value;
      }
    }
    for (const m of Object.values(metrics)) m.avg = Math.round((m.avg / m.count) * 1000) / 1000;
    return {
      timestamp: iso(now),
      period_start: iso(Math.min(since, now)),
      period_end: iso(now),
      metrics,
      health_metrics: healthMetrics(this.cpu, this.opts.dataDir),
      temperatures: thermalZones(),
      items,
      diagnostics: alertDiagnostics(this.opts.openAlerts?.() ?? []),
    };
  }

  private diagnostics(): { diagnostics?: AlertDiagnostics } {
    const alerts = this.opts.openAlerts?.();
    return alerts ? { diagnostics: alertDiagnostics(alerts) } : {};
  }
}
