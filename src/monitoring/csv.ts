/**
 * CSV export of the history and the alert log, RFC 4180: CRLF line ends, a header row, and a field quoted
 * when it holds a comma, a double quote, CR or LF (a quote inside doubled). Times are ISO 8601 UTC.
 * A text cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe: a technician's note must not become a formula on an operator's computer. Numbers are
 * written as they are.
 */
import type { Alert, AlertActor } from '../domain/events.js';
import type { HistoryRow } from './history-store.js';
import { sensorSpec } from './sensors.js';

const CRLF = '\r\n';

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return fields.map(csvField).join(',') + CRLF;
}

export function toCsv(header: readonly string[], rows: Iterable<ReadonlyArray<string | number | boolean | null | undefined>>): { csv: string; rows: number } {
  const parts = [csvLine(header)];
  for (const row of rows) parts.push(csvLine(row));
  return { csv: parts.join(''), rows: parts.length - 1 };
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export const HISTORY_HEADER = ['time', 'sensor', 'unit', 'resolution', 'value', 'min', 'max', 'readings'] as const;

/** The hot path of a month's export (100 000s of rows): one template per row, sensor and unit escaped once each. */
export function historyCsv(rows: Iterable<HistoryRow>): { csv: string; rows: number } {
  const parts = [csvLine(HISTORY_HEADER)];
  const names = new Map<string, string>();
  for (const r of rows) parts.push(historyLine(r, names));
  return { csv: parts.join(''), rows: parts.length - 1 };
}

/** The same, giving the event loop a turn every `chunk` rows: a month's export must not stall the serial link. */
export async function historyCsvAsync(rows: Iterable<HistoryRow>, chunk = 2_000): Promise<{ csv: string; rows: number }> {
  const parts = [csvLine(HISTORY_HEADER)];
  const names = new Map<string, string>();
  for (const r of rows) {
    parts.push(historyLine(r, names));
    if (parts.length % chunk === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { csv: parts.join(''), rows: parts.length - 1 };
}

function historyLine(r: HistoryRow, names: Map<string, string>): string {
  let name = names.get(r.sensor);
  if (name === undefined) names.set(r.sensor, (name = `${csvField(r.sensor)},${csvField(sensorSpec(r.sensor)?.unit ?? '')}`));
  return `${isoTime(r.at)},${name},${r.tier},${r.value},${r.min},${r.max},${r.count}${CRLF}`;
}

let cachedMinute = Number.NaN;
let cachedPrefix = '';

/** `Date#toISOString` with the `YYYY-MM-DDTHH:MM:` part reused while rows share a minute (they come in time order). */
function isoTime(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== cachedMinute) {
    const full = new Date(ms).toISOString();
    if (full.length !== 24) return full; // a year outside 0000–9999
    cachedMinute = minute;
    cachedPrefix = full.slice(0, 17);
  }
  const rest = ms - minute * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedPrefix}${seconds < 10 ? '0' : ''}${seconds}.${String(rest % 1000).padStart(3, '0')}Z`;
}

export const ALERT_HEADER = [
  'id', 'rule', 'sensor', 'severity', 'effect', 'status', 'value', 'threshold', 'threshold_source',
  'raised_at', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by', 'notes',
] as const;

export function actorName(by: AlertActor): string {
  return by.kind === 'system' ? 'system' : by.assignmentId === null ? by.name : `${by.name} (assignment ${by.assignmentId})`;
}

export function alertsCsv(alerts: Iterable<Alert>): { csv: string; rows: number } {
  return toCsv(
    ALERT_HEADER,
    (function* () {
      for (const a of alerts) {
        const ack = a.history.find((h) => h.status === 'acknowledged');
        const resolved = a.history.find((h) => h.status === 'resolved');
        const notes = a.history.filter((h) => h.note).map((h) => `${iso(h.at)} ${h.status} by ${actorName(h.by)}: ${h.note}`).join('\n');
        const effect = a.effect.kind === 'stop_material' ? `stop_material:${a.effect.material}` : a.effect.kind;
        yield [
          a.id, a.rule, a.sensor, a.severity, effect, a.status, a.value, a.threshold, a.thresholdSource,
          iso(a.raisedAt), iso(ack?.at), ack ? actorName(ack.by) : null, iso(resolved?.at), resolved ? actorName(resolved.by) : null, notes,
        ];
      }
    })(),
  );
}
