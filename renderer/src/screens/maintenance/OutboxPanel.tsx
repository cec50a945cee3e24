import { useState } from 'react';
import type { PayloadOf, ReplyOf, RequestOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel, type PanelTone } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText, useBusy, useMachineNow, useRelativeTime } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { formatAt, startOfTodayIso } from './zone-time.js';

type Outbox = PayloadOf<'outbox.state'>;

function toneOf(outbox: Outbox): PanelTone {
  if (outbox.alarms.length > 0 || !outbox.linkAttached) return 'bad';
  return outbox.pending > 0 || outbox.failedAttempts > 0 ? 'warn' : 'ok';
}

/** Credits kept on the kiosk until the server has them: what is owed, how delivery goes, and manual pushes. */
export function OutboxPanel() {
  const t = useT();
  const outbox = useKiosk((s) => s.outbox);
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  const [busy, run] = useBusy();
  const [message, setMessage] = useState<string | null>(null);
  const [preview, setPreview] = useState<ReplyOf<'outbox.preview'> | null>(null);

  const { ago, inTime } = useRelativeTime();

  const push = (range: RequestOf<'outbox.push'>) =>
    run(async () => {
      setMessage(t('maintenance.working'));
      const reply = await callCore('outbox.push', range);
      if (!reply) return setMessage(noReplyText(t));
      const head = t('maintenance.outbox.pushResult', { pushed: reply.pushed, attempted: reply.attempted, failed: reply.failed });
      const retry = reply.outcome === 'retryable' ? ` · ${t('maintenance.outbox.pushRetry')}` : '';
      setMessage(`${head}${retry}${reply.message ? ` · ${reply.message}` : ''}`);
      if (preview) setPreview(await callCore('outbox.preview', { limit: 20 }));
    });
  // "Today" is the machine's day in its own zone, read on the server-synced clock.
  const pushToday = () => push({ from: startOfTodayIso(now, timeZone) });
  const togglePreview = () =>
    run(async () => {
      if (preview) return setPreview(null);
      const reply = await callCore('outbox.preview', { limit: 20 });
      if (!reply) setMessage(noReplyText(t));
      setPreview(reply);
    });

  if (!outbox) return <Panel title={t('maintenance.outbox.title')} testId="panel-outbox" facts={[[t('maintenance.outbox.pending'), null]]} tone="warn" />;
  const stateText = !outbox.linkAttached
    ? t('maintenance.outbox.detached')
    : outbox.ackPending > 0
      ? t('maintenance.outbox.paused', { count: outbox.ackPending })
      : outbox.flushing
        ? t('maintenance.outbox.flushing')
        : t('maintenance.outbox.idle');
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
      <button className="button small" data-testid="outbox-push-all" disabled={busy} onClick={() => void push({})}>
        {t('maintenance.outbox.pushAll')}
      </button>
      <button className="button small" data-testid="outbox-push-today" disabled={busy} onClick={() => void pushToday()}>
        {t('maintenance.outbox.pushToday')}
      </button>
      <button className={`button small${preview ? ' active' : ''}`} data-testid="outbox-preview" disabled={busy} onClick={() => void togglePreview()}>
        {t('maintenance.outbox.preview')}
      </button>
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
    </Panel>
  );
}

function materialName(t: ReturnType<typeof useT>, material: string): string {
  const key = `material.${material}`;
  const text = t(key);
  return text === key ? material : text;
}
