import { useCallback, useEffect, useRef, useState } from 'react';
import { kioskStore, useKiosk } from '../../store/store.js';
import type { ReplyOf, RequestOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { hasString, useT } from '../../i18n/strings.js';
import { AlertCard, type Alert } from './AlertCard.js';
import { Choice } from './Choice.js';
import { noReplyText, useBusy } from './hooks.js';
import { NoteForm } from './NoteForm.js';
import { RANGES } from './ranges.js';
import { startOfDay } from './zone-time.js';

type Severity = 'all' | Alert['severity'];
type Status = 'all' | NonNullable<RequestOf<'monitoring.alerts'>['status']>;
type Span = 'all' | 'today' | '7d' | '30d';

/** The kinds of alert the default rules raise (a rule id's first part); custom rules' kinds join from the log. */
export const ALERT_KINDS = [
  'bin_full', 'temperature_high', 'door_open_too_long', 'controller_link_lost', 'camera_lost', 'model_missing',
  'outbox_backlog', 'outbox_stale', 'disk_low', 'clock_drift', 'detector_errors', 'repeated_jams',
] as const;

export function kindText(t: (key: string) => string, kind: string): string {
  const key = `maintenance.alerts.kind.${kind}`;
  return hasString(kioskStore.getState().language, key) ? t(key) : kind;
}

/**
 * The open alerts are pushed by the core as `monitoring.alerts`, but the store does not keep that event yet,
 * so the panel asks again on this interval while it is shown (and at once after an acknowledge or resolve).
 */
export const ALERTS_REFRESH_MS = 60_000;

/** Open alerts and the alert log: filters, search, and acknowledge / resolve with a note. */
export function AlertsPanel() {
  const t = useT();
  const [severity, setSeverity] = useState<Severity>('all');
  const [status, setStatus] = useState<Status>('all');
  const [kind, setKind] = useState('all');
  const [span, setSpan] = useState<Span>('all');
  const [search, setSearch] = useState('');
  const [text, setText] = useState('');
  const [reply, setReply] = useState<ReplyOf<'monitoring.alerts'> | null>(null);
  const [form, setForm] = useState<{ id: string; kind: 'acknowledge' | 'resolve' } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, run] = useBusy();
  // `t` is a new function each render; the loader must not be, or the effect below would refetch every render.
  const tRef = useRef(t);
  tRef.current = t;

  const load = useCallback(async () => {
    // Status, kind (the core matches a rule id or its prefix), date raised and text are filtered by the core
    // (the log can be long); severity is not in the command, so here.
    const request: RequestOf<'monitoring.alerts'> = { limit: 100 };
    if (status !== 'all') request.status = status;
    if (kind !== 'all') request.rule = kind;
    if (span !== 'all') {
      const now = Date.now() + kioskStore.getState().clock.offsetMs;
      // "Today" is the machine's calendar day in its own zone, as on the audit panel.
      request.from = span === 'today' ? startOfDay(now, kioskStore.getState().clock.timezone) : now - RANGES[span];
    }
    if (text) request.text = text;
    const next = await callCore('monitoring.alerts', request);
    if (next) setReply(next);
    else setMessage(noReplyText(tRef.current));
  }, [status, kind, span, text]);

  // Live: the core pushes the open alerts on every transition (`monitoring.alerts`), so the list is read
  // again then; the slow timer only catches history rows that changed without an open alert changing.
  const openAlerts = useKiosk((s) => s.openAlerts);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), ALERTS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, openAlerts]);

  const submit = (id: string, kind: 'acknowledge' | 'resolve', note: string | undefined) =>
    run(async () => {
      const done =
        kind === 'resolve' ? await callCore('monitoring.resolve', { id, note: note ?? '' }) : await callCore('monitoring.acknowledge', note ? { id, note } : { id });
      if (!done) return setMessage(noReplyText(t));
      setForm(null);
      setMessage(t(kind === 'resolve' ? 'maintenance.alerts.resolved' : 'maintenance.alerts.acknowledged'));
      await load();
    });

  const bySeverity = (a: Alert) => severity === 'all' || a.severity === severity;
  const open = (reply?.open ?? []).filter(bySeverity);
  const log = (reply?.alerts ?? []).filter(bySeverity);
  const kinds = [...new Set<string>([...ALERT_KINDS, ...(reply?.alerts ?? []).map((a) => a.rule.split('.')[0]!)])];

  const actions = (alert: Alert) =>
    alert.status === 'resolved' ? null : form?.id === alert.id ? (
      <NoteForm kind={form.kind} busy={busy} onCancel={() => setForm(null)} onSubmit={(note) => void submit(alert.id, form.kind, note)} />
    ) : (
      <div className="panel-actions">
        {alert.status === 'raised' ? (
          <button className="button small" data-testid={`alert-${alert.id}-ack`} onClick={() => setForm({ id: alert.id, kind: 'acknowledge' })}>
            {t('maintenance.alerts.acknowledge')}
          </button>
        ) : null}
        <button className="button small" data-testid={`alert-${alert.id}-resolve`} onClick={() => setForm({ id: alert.id, kind: 'resolve' })}>
          {t('maintenance.alerts.resolve')}
        </button>
      </div>
    );

  return (
    <section className="panel dash-panel" data-testid="panel-alerts">
      <h2>{t('maintenance.alerts.title')}</h2>
      <div className="dash-filters">
        <Choice
          testId="alerts-severity"
          label={t('maintenance.alerts.severity')}
          value={severity}
          onChange={setSeverity}
          options={(['all', 'critical', 'warning', 'info'] as const).map((s) => [s, s === 'all' ? t('maintenance.alerts.all') : t(`maintenance.severity.${s}`)])}
        />
        <Choice
          testId="alerts-status"
          label={t('maintenance.alerts.status')}
          value={status}
          onChange={setStatus}
          options={(['all', 'open', 'raised', 'acknowledged', 'resolved'] as const).map((s) => [s, s === 'all' ? t('maintenance.alerts.all') : t(`maintenance.alertStatus.${s}`)])}
        />
        <Choice testId="alerts-span" label={t('maintenance.charts.range')} value={span} onChange={setSpan} options={(['all', 'today', '7d', '30d'] as const).map((s) => [s, s === 'all' ? t('maintenance.alerts.all') : t(`maintenance.range.${s}`)])} />
        <select className="text-field" data-testid="alerts-kind" aria-label={t('maintenance.alerts.kind')} value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="all">{t('maintenance.alerts.allKinds')}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {kindText(t, k)}
            </option>
          ))}
        </select>
        <form
          className="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            setText(search.trim());
          }}
        >
          <input className="text-field" data-testid="alerts-search" aria-label={t('maintenance.alerts.search')} placeholder={t('maintenance.alerts.search')} maxLength={200} value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="button" className="button small" data-testid="alerts-search-go" onClick={() => setText(search.trim())}>
            {t('maintenance.alerts.searchButton')}
          </button>
          <button type="button" className="button small" data-testid="alerts-refresh" onClick={() => void load()}>
            {t('maintenance.dash.refresh')}
          </button>
        </form>
      </div>
      {message ? <div className="panel-result" data-testid="alerts-result">{message}</div> : null}
      <h3>{t('maintenance.alerts.open', { count: open.length })}</h3>
      <ul className="alert-list" data-testid="alerts-open">
        {open.length === 0 ? <li className="panel-result">{t('maintenance.alerts.none')}</li> : open.map((a) => <AlertCard key={a.id} alert={a} testId={`alert-${a.id}`}>{actions(a)}</AlertCard>)}
      </ul>
      <h3>{t('maintenance.alerts.log', { shown: log.length, total: reply?.total ?? 0 })}</h3>
      <ul className="alert-list" data-testid="alerts-log">
        {log.length === 0 ? <li className="panel-result">{t('maintenance.alerts.none')}</li> : log.map((a) => <AlertCard key={a.id} alert={a} testId={`log-${a.id}`} />)}
      </ul>
    </section>
  );
}
