import { useState } from 'react';
import type { PayloadOf, ReplyOf, RequestOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel, type PanelTone } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText, useBusy, useMachineNow, useRelativeTime } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { OutboxHistory } from './OutboxHistory.js';
import { OutboxRange } from './OutboxRange.js';
import { refusalText } from './refusal.js';
import { formatAt, startOfTodayIso } from './zone-time.js';

type Outbox = PayloadOf<'outbox.state'>;
type Range = Omit<RequestOf<'outbox.preview'>, 'limit'>;

function toneOf(outbox: Outbox): PanelTone {
  if (outbox.alarms.length > 0 || !outbox.linkAttached) return 'bad';
  return outbox.hold?.on || outbox.pending > 0 || outbox.failedAttempts > 0 ? 'warn' : 'ok';
}

/** Credits kept on the kiosk until the server has them: what is owed, how delivery goes, and manual pushes. */
export function OutboxPanel() {
  const t = useT();
  const outbox = useKiosk((s) => s.outbox);
  const setOutbox = useKiosk((s) => s.setOutbox);
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  const [busy, run] = useBusy();
  const [message, setMessage] = useState<string | null>(null);
  const [preview, setPreview] = useState<ReplyOf<'outbox.preview'> | null>(null);
  // The range the open preview shows, so a push refreshes the same rows.
  const [previewRange, setPreviewRange] = useState<Range>({});
  const [reason, setReason] = useState('');
  const [pushes, setPushes] = useState(0);

  const { ago, inTime } = useRelativeTime();

  const loadPreview = async (range: Range) => {
    const reply = await callCore('outbox.preview', { ...range, limit: 20 });
    if (!reply) setMessage(noReplyText(t));
    setPreview(reply);
    setPreviewRange(range);
  };
  const push = (range: RequestOf<'outbox.push'>) =>
    run(async () => {
      setMessage(t('maintenance.working'));
      const reply = await callCore('outbox.push', range);
      // A refused push is in the history too (result "held"), so the table is re-read either way.
      setPushes((n) => n + 1);
      if (!reply) return setMessage(refusalText(t, ['outbox_held']));
      const head = t('maintenance.outbox.pushResult', { pushed: reply.pushed, attempted: reply.attempted, failed: reply.failed });
      const retry = reply.outcome === 'retryable' ? ` · ${t('maintenance.outbox.pushRetry')}` : '';
      setMessage(`${head}${retry}${reply.message ? ` · ${reply.message}` : ''}`);
      if (preview) await loadPreview(previewRange);
    });
  // "Today" is the machine's day in its own zone, read on the server-synced clock.
  const pushToday = () => push({ from: startOfTodayIso(now, timeZone) });
  const togglePreview = () =>
    run(async () => {
      if (preview) return setPreview(null);
      await loadPreview({});
    });
  // Hold for a server-side maintenance window: nothing is sent, credits are still stored (docs/outbox.md).
  const hold = (on: boolean) =>
    run(async () => {
      const reply = await callCore('outbox.hold', on && reason.trim() ? { on, reason: reason.trim() } : { on });
      if (!reply) return setMessage(noReplyText(t));
      setOutbox(reply);
      setMessage(null);
      if (!on) setReason('');
    });

  if (!outbox) return <Panel title={t('maintenance.outbox.title')} testId="panel-outbox" facts={[[t('maintenance.outbox.pending'), null]]} tone="warn" />;
  const stateText = !outbox.linkAttached
    ? t('maintenance.outbox.detached')
    : outbox.ackPending > 0
      ? t('maintenance.outbox.paused', { count: outbox.ackPending })
      : outbox.flushing
        ? t('maintenance.outbox.flushing')
        : t('maintenance.outbox.idle');
  const held = outbox.hold?.on ? outbox.hold : null;
  const damaged =
    outbox.damagedLines > 0 || outbox.quarantined > 0
      ? t('maintenance.outbox.damagedValue', { lines: outbox.damagedLines, credits: outbox.damagedCredits, files: outbox.quarantined })
      : 0;

  return (
    <Panel
      title={t('maintenance.outbox.title')}
      testId="panel-outbox"
      tone={toneOf(outbox)}
      facts={[
        [t('maintenance.outbox.pending'), <span key="pending" data-testid="outbox-pending">{outbox.pending}</span>],
        [t('maintenance.outbox.failed'), outbox.failed],
        [t('maintenance.outbox.pushed'), outbox.pushed],
        [t('maintenance.outbox.damaged'), <span key="damaged" data-testid="outbox-damaged">{damaged}</span>],
        [t('maintenance.outbox.oldest'), outbox.oldestPendingAt ? ago(Date.parse(outbox.oldestPendingAt)) : null],
        [t('maintenance.outbox.lastPush'), ago(outbox.lastPushAt)],
        [t('maintenance.outbox.state'), outbox.failedAttempts > 0 ? `${stateText} · ${t('maintenance.outbox.attempts', { count: outbox.failedAttempts })}` : stateText],
        [t('maintenance.outbox.nextAttempt'), inTime(outbox.nextAttemptAt)],
        [t('maintenance.lastError'), outbox.lastError],
        [t('maintenance.outbox.disk'), outbox.freeBytes === null ? null : `${(outbox.freeBytes / 1e9).toFixed(1)} GB`],
        [t('maintenance.outbox.writeError'), outbox.writeError],
        [
          t('maintenance.outbox.alarms'),
          <span key="alarms" data-testid="outbox-alarms" className={outbox.alarms.length > 0 ? 'bad-text' : undefined}>
            {outbox.alarms.length > 0 ? outbox.alarms.map((a) => t(`maintenance.outbox.alarm.${a}`)).join(', ') : t('maintenance.none')}
          </span>,
        ],
      ]}
    >
      {held ? (
        <div className="panel-result bad-text" data-testid="outbox-hold-banner">
          {t('maintenance.outbox.hold.banner', { since: held.since ? formatAt(held.since, now, timeZone) : '—', reason: held.reason ?? t('maintenance.outbox.hold.noReason') })}
        </div>
      ) : (
        <input
          className="text-field"
          data-testid="outbox-hold-reason"
          aria-label={t('maintenance.outbox.hold.reason')}
          placeholder={t('maintenance.outbox.hold.reason')}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      )}
      <button className={`button small${held ? ' active' : ''}`} data-testid="outbox-hold" disabled={busy} onClick={() => void hold(!held)}>
        {t(held ? 'maintenance.outbox.hold.off' : 'maintenance.outbox.hold.on')}
      </button>
      <button className="button small" data-testid="outbox-push-all" disabled={busy} onClick={() => void push({})}>
        {t('maintenance.outbox.pushAll')}
      </button>
      <button className="button small" data-testid="outbox-push-today" disabled={busy} onClick={() => void pushToday()}>
        {t('maintenance.outbox.pushToday')}
      </button>
      <button className={`button small${preview ? ' active' : ''}`} data-testid="outbox-preview" disabled={busy} onClick={() => void togglePreview()}>
        {t('maintenance.outbox.preview')}
      </button>
      <OutboxRange busy={busy} onPreview={(range) => void run(() => loadPreview(range))} onPush={(range) => void push(range)} />
      {message ? <div className="panel-result" data-testid="outbox-result">{message}</div> : null}
      {preview && preview.total > 0 ? (
        <div className="panel-result">{t('maintenance.outbox.previewTotal', { shown: preview.records.length, total: preview.total })}</div>
      ) : null}
      {preview ? (
        <MiniTable
          testId="outbox-preview-table"
          head={[t('maintenance.col.id'), t('maintenance.col.material'), t('maintenance.col.points'), t('maintenance.col.time'), t('maintenance.col.status')]}
          empty={t('maintenance.outbox.previewEmpty')}
          wrap={[4]}
          rows={preview.records.map((r) => ({
            key: r.id,
            bad: r.status === 'failed',
            cells: [
              <span key="id" className="mono" title={r.id}>{r.id.slice(0, 8)}</span>,
              materialName(t, r.material),
              r.points,
              formatAt(Date.parse(r.at), now, timeZone),
              r.error ? `${t(`maintenance.outbox.record.${r.status}`)}: ${r.error}` : t(`maintenance.outbox.record.${r.status}`),
            ],
          }))}
        />
      ) : null}
      <OutboxHistory refreshKey={`${pushes}-${outbox.lastAttemptAt ?? 0}-${held ? 1 : 0}`} />
    </Panel>
  );
}

function materialName(t: ReturnType<typeof useT>, material: string): string {
  const key = `material.${material}`;
  const text = t(key);
  return text === key ? material : text;
}
