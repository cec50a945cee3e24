import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { hasString, useT } from '../../i18n/strings.js';
import { kioskStore, useKiosk } from '../../store/store.js';
import { Choice } from './Choice.js';
import { toCsv } from './csv.js';
import { DownloadLink, useDownload } from './download.js';
import { noReplyText, useMachineNow } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { RANGES } from './ranges.js';
import { formatAt, isoWithOffset, startOfDay } from './zone-time.js';

type Entry = ReplyOf<'technician.audit'>['entries'][number];
type Span = 'today' | '7d' | '30d';

/** The most the command returns in one reply. */
const LIMIT = 500;

export function actionText(t: (key: string) => string, action: string): string {
  const key = `maintenance.audit.action.${action}`;
  return hasString(kioskStore.getState().language, key) ? t(key) : action;
}

const detailText = (detail: Entry['detail']) =>
  Object.entries(detail)
    .map(([k, v]) => `${k}=${v ?? '—'}`)
    .join(', ');

/** Every technician action with who, what, when and the result; filter by action and date, download as CSV. */
export function AuditPanel() {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow(60_000);
  const [span, setSpan] = useState<Span>('today');
  const [action, setAction] = useState('all');
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [download, offer] = useDownload();

  useEffect(() => {
    let current = true;
    const to = Date.now() + kioskStore.getState().clock.offsetMs;
    // "Today" is the machine's calendar day in its own zone, as on the outbox panel.
    const from = span === 'today' ? startOfDay(to, kioskStore.getState().clock.timezone) : to - RANGES[span];
    void callCore('technician.audit', { from, limit: LIMIT }).then((reply) => {
      if (!current) return;
      setEntries(reply?.entries ?? null);
      setMessage(reply ? null : noReplyText(t));
    });
    return () => {
      current = false;
    };
    // Not on `t` (new each render): it only words a failure, and asking again on a language change is wasted.
  }, [span]);

  const actions = [...new Set((entries ?? []).map((e) => e.action))].sort();
  const shown = (entries ?? []).filter((e) => action === 'all' || e.action === action);
  const who = (e: Entry) => (e.technicianName ?? '—') + (e.assignmentId === null ? '' : ` #${e.assignmentId}`);

  const exportCsv = () => {
    const csv = toCsv(
      ['time', 'technician', 'assignment_id', 'action', 'result', 'reported', 'detail', 'id'],
      shown.map((e) => [new Date(e.at).toISOString(), e.technicianName, e.assignmentId, e.action, e.result, e.reported, detailText(e.detail), e.id]),
    );
    offer(`audit-${isoWithOffset(now, timeZone).slice(0, 10)}.csv`, csv);
  };

  return (
    <section className="panel dash-panel" data-testid="panel-audit">
      <h2>{t('maintenance.audit.title')}</h2>
      <div className="dash-filters">
        <Choice testId="audit-span" label={t('maintenance.charts.range')} value={span} onChange={setSpan} options={(['today', '7d', '30d'] as const).map((s) => [s, t(`maintenance.range.${s}`)])} />
        <select className="text-field" data-testid="audit-action" aria-label={t('maintenance.audit.action')} value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="all">{t('maintenance.audit.allActions')}</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {actionText(t, a)}
            </option>
          ))}
        </select>
        <button className="button small" data-testid="audit-csv" disabled={shown.length === 0} onClick={exportCsv}>
          {t('maintenance.audit.csv')}
        </button>
        <DownloadLink download={download} testId="audit-download" label={t('maintenance.export.download')} />
      </div>
      {message ? <div className="panel-result" data-testid="audit-result">{message}</div> : null}
      {entries && entries.length >= LIMIT ? <div className="panel-result">{t('maintenance.audit.truncated', { count: LIMIT })}</div> : null}
      <MiniTable
        testId="audit-table"
        head={[t('maintenance.col.time'), t('maintenance.audit.technician'), t('maintenance.audit.action'), t('maintenance.col.status'), t('maintenance.audit.reported'), t('maintenance.audit.detail')]}
        empty={t('maintenance.audit.empty')}
        wrap={[5]}
        rows={shown.map((e) => ({
          key: e.id,
          bad: e.result !== 'ok',
          cells: [formatAt(e.at, now, timeZone), who(e), actionText(t, e.action), t(`maintenance.audit.result.${e.result}`), e.reported ? t('maintenance.yes') : t('maintenance.no'), <span key="d" className="mono">{detailText(e.detail)}</span>],
        }))}
      />
    </section>
  );
}
