/**
 * The JSON every outside channel sends, built in one place so MQTT subscribers and webhook receivers read the
 * same shape (documented with examples in docs/monitoring.md, "Where alerts go"). Times are ISO 8601 UTC
 * strings; `at` is when the thing happened on the machine, not when it was delivered (a message may wait in
 * the queue while the broker is down).
 */
import type { AlertActor, AlertTransition, Reading } from '../../domain/events.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface AlertPayload {
  at: string;
  serial: string;
  id: string;
  rule: string;
  sensor: string;
  severity: string;
  /** The status this transition moved the alert to. */
  status: string;
  effect: AlertTransition['alert']['effect'];
  value: number;
  threshold: number;
  thresholdSource: string;
  raisedAt: string;
  by: AlertActor;
  /** The technician's note on this transition, if any. */
  note: string | null;
}

export function alertPayload(serial: string, t: AlertTransition): AlertPayload {
  const { alert } = t;
  const entry = [...alert.history].reverse().find((h) => h.status === t.to && h.at === t.at);
  return {
    at: iso(t.at),
    serial,
    id: alert.id,
    rule: alert.rule,
    sensor: alert.sensor,
    severity: alert.severity,
    status: t.to,
    effect: alert.effect,
    value: alert.value,
    threshold: alert.threshold,
    thresholdSource: alert.thresholdSource,
    raisedAt: iso(alert.raisedAt),
    by: t.by,
    note: entry?.note ?? null,
  };
}

export interface TelemetryPayload {
  at: string;
  serial: string;
  readings: Array<{ sensor: string; value: number; at: string }>;
}

export function telemetryPayload(serial: string, readings: readonly Reading[], now: number): TelemetryPayload {
  const latest = readings.reduce((max, r) => Math.max(max, r.at), 0);
  return { at: iso(latest || now), serial, readings: readings.map((r) => ({ sensor: r.sensor, value: r.value, at: iso(r.at) })) };
}

/** A topic level must not contain `/`, `+` or `#`; anything unusual in a serial becomes `_`. */
export function topicSafe(serial: string): string {
  const safe = serial.trim().replace(/[^A-Za-z0-9._-]/g, '_');
  return safe || 'unknown';
}

export function topicsFor(serial: string): { telemetry: string; alerts: string; status: string } {
  const base = `rvm/${topicSafe(serial)}`;
  return { telemetry: `${base}/telemetry`, alerts: `${base}/alerts`, status: `${base}/status` };
}
