/**
 * The CSV of each export kind for a range [from, to), from the store that owns it — read-only:
 * - history and alerts: monitoring's history store and alert book (the same CSV as `monitoring.exportCsv`);
 * - credits: the credits still held in the outbox journal (pending or failed), through its read API
 *   `preview`. Credits the server acknowledged are no longer kept on the kiosk: the server has them.
 * - audit: the technician audit log, oldest first, in the columns of the audit screen's own CSV.
 * A kind with more than MAX_EXPORT_ROWS rows is refused with `export_too_large`, naming the kind.
 */
import { CommandError } from '../core/kiosk-core.js';
import type { AuditLog } from '../maintenance/audit-log.js';
import { alertsCsv, historyCsvAsync, toCsv } from '../monitoring/csv.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import type { Outbox } from '../outbox/outbox.js';

export const MAX_EXPORT_ROWS = 1_000_000;

export type ExportKind = 'history' | 'alerts' | 'credits' | 'audit';

export interface ExportSources {
  monitoring: Pick<Monitoring, 'history' | 'listAlerts'> | null;
  outbox: Pick<Outbox, 'preview'> | null;
  audit: Pick<AuditLog, 'list'> | null;
}

export const CREDIT_HEADER = ['at', 'recorded_at', 'id', 'session_id', 'material', 'points', 'weight_grams', 'confidence', 'has_image', 'status', 'error'] as const;
export const AUDIT_HEADER = ['time', 'technician', 'assignment_id', 'action', 'result', 'reported', 'detail', 'id'] as const;

export async function exportCsv(kind: ExportKind, range: { from: number; to: number }, sources: ExportSources): Promise<{ csv: string; rows: number }> {
  switch (kind) {
    case 'history':
      return historyCsvAsync(capped(kind, need(sources.monitoring, kind).history.rows(range.from, range.to)));
    case 'alerts':
      return alertsCsv(capped(kind, need(sources.monitoring, kind).listAlerts({ from: range.from, to: range.to }).alerts.reverse()));
    case 'credits': {
      const { records } = need(sources.outbox, kind).preview({ from: range.from, to: range.to, limit: MAX_EXPORT_ROWS + 1 });
      const rows = capped(kind, records.sort((a, b) => a.at.localeCompare(b.at)));
      return toCsv(CREDIT_HEADER, (function* () {
        for (const c of rows) yield [c.at, c.recordedAt, c.id, c.sessionId, c.material, c.points, c.weightGrams, c.confidence, c.hasImage, c.status, c.error];
      })());
    }
    case 'audit': {
      const entries = need(sources.audit, kind).list({ from: range.from, to: range.to, limit: MAX_EXPORT_ROWS + 1 }).reverse();
      return toCsv(AUDIT_HEADER, (function* () {
        for (const e of capped(kind, entries)) {
          const detail = Object.entries(e.detail).map(([k, v]) => `${k}=${v ?? '—'}`).join(', ');
          yield [new Date(e.at).toISOString(), e.technicianName, e.assignmentId, e.action, e.result, e.reported, detail, e.id];
        }
      })());
    }
  }
}

function need<T>(source: T | null, kind: ExportKind): T {
  if (!source) throw new CommandError('failed', `${kind} is not kept on this kiosk`);
  return source;
}

function* capped<T>(kind: ExportKind, rows: Iterable<T>): Generator<T> {
  let n = 0;
  for (const row of rows) {
    if (++n > MAX_EXPORT_ROWS) throw new CommandError('export_too_large', `${kind}: more than ${MAX_EXPORT_ROWS} rows: export a shorter range`);
    yield row;
  }
}
