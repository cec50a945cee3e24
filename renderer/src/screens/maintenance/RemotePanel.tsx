import { useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel, type PanelTone } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText, useBusy, useMachineNow } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { refusalText } from './refusal.js';
import { formatAt, formatDuration } from './zone-time.js';

type Remote = ReplyOf<'remote.status'>;
type Entry = ReplyOf<'remote.history'>['entries'][number];

/** The refusals `remote.start` can answer with (src/contract/remote.ts): each says what to do, so it is shown as is. */
const REFUSALS = ['remote_disabled', 'remote_unsupported', 'remote_busy', 'remote_start_failed'] as const;
const MAX_MINUTES = 24 * 60;

function toneOf(remote: Remote | null): PanelTone {
  if (!remote) return 'warn';
  if (remote.lastError) return 'bad';
  return remote.active ? 'warn' : 'ok';
}

/**
 * A time-limited remote-access session for a technician (docs/remote-access.md): start it for some minutes,
 * watch it count down, stop it; the machine's addresses with the VPN ones marked; the latest sessions.
 * Off unless the configuration enables it, and then nothing here can start one.
 */
export function RemotePanel() {
  const t = useT();
  const remote = useKiosk((s) => s.remote);
  const setRemote = useKiosk((s) => s.setRemote);
  const offsetMs = useKiosk((s) => s.clock.offsetMs);
  const zone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  const [busy, run] = useBusy();
  const [minutes, setMinutes] = useState('30');
  const [message, setMessage] = useState<string | null>(null);
  const [history, setHistory] = useState<Entry[] | null>(null);

  const asked = Number(minutes);
  const minutesOk = Number.isInteger(asked) && asked >= 1 && asked <= MAX_MINUTES;
  const enabled = remote?.enabled ?? false;
  const active = remote?.active ?? false;
  const at = (ms: number | null) => (ms === null ? '—' : formatAt(ms, now, zone));

  const start = () =>
    run(async () => {
      setMessage(null);
      const reply = await callCore('remote.start', { minutes: asked });
      if (!reply) return setMessage(refusalText(t, REFUSALS));
      setRemote(reply);
    });
  const stop = () =>
    run(async () => {
      setMessage(null);
      const reply = await callCore('remote.stop', {});
      if (!reply) return setMessage(noReplyText(t));
      setRemote(reply);
    });
  const toggleHistory = () =>
    run(async () => {
      if (history) return setHistory(null);
      const reply = await callCore('remote.history', { limit: 20 });
      if (!reply) return setMessage(noReplyText(t));
      setHistory(reply.entries);
    });

  const stateText = !remote
    ? null
    : !enabled
      ? t('maintenance.remote.disabled')
      : active
        ? t('maintenance.remote.active', { since: at(remote.since), until: at(remote.until) })
        : t('maintenance.remote.inactive');
  // The core ends the session by its own clock (device time), so the countdown is on that clock, not the synced one.
  const left = active && remote?.until ? formatDuration(remote.until - (now - offsetMs)) : null;

  return (
    <Panel
      title={t('maintenance.remote.title')}
      testId="panel-remote"
      tone={toneOf(remote)}
      facts={[
        [t('maintenance.remote.state'), <span key="state" data-testid="remote-state">{stateText}</span>],
        [t('maintenance.remote.left'), left ? <span key="left" data-testid="remote-left">{left}</span> : null],
        [t('maintenance.remote.server'), remote ? <span key="server" data-testid="remote-server">{t(`maintenance.remote.server.${remote.server}`)}</span> : null],
        [
          t('maintenance.remote.addresses'),
          remote ? (
            <ul key="addr" className="plain-list mono" data-testid="remote-addresses">
              {remote.addresses.length === 0
                ? <li>{t('maintenance.none')}</li>
                : remote.addresses.map((a) => <li key={`${a.interface}-${a.address}`}>{`${a.interface}: ${a.address}${a.vpn ? ` (${t('maintenance.remote.vpn')})` : ''}`}</li>)}
            </ul>
          ) : null,
        ],
        [
          t('maintenance.lastError'),
          remote?.lastError ? (
            <span key="err" className="bad-text" data-testid="remote-error">
              {t(`error.${remote.lastError}`)}
              {remote.lastErrorDetail ? ` · ${remote.lastErrorDetail}` : ''}
            </span>
          ) : null,
        ],
      ]}
    >
      <label>
        {t('maintenance.remote.minutes')}{' '}
        <input type="number" className="text-field" data-testid="remote-minutes" min={1} max={MAX_MINUTES} step={1} value={minutes} disabled={!enabled || active} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <button className="button small" data-testid="remote-start" disabled={busy || !enabled || active || !minutesOk} onClick={() => void start()}>
        {t('maintenance.remote.start')}
      </button>
      <button className="button small" data-testid="remote-stop" disabled={busy || !active} onClick={() => void stop()}>
        {t('maintenance.remote.stop')}
      </button>
      <button className={`button small${history ? ' active' : ''}`} data-testid="remote-history" disabled={busy} onClick={() => void toggleHistory()}>
        {t('maintenance.remote.history')}
      </button>
      {enabled && !minutesOk ? <div className="panel-result bad-text" data-testid="remote-minutes-invalid">{t('maintenance.remote.minutesInvalid', { max: MAX_MINUTES })}</div> : null}
      {message ? <div className="panel-result" data-testid="remote-result">{message}</div> : null}
      {history ? (
        <MiniTable
          testId="remote-history-table"
          head={[t('maintenance.remote.col.start'), t('maintenance.remote.col.end'), t('maintenance.remote.col.minutes'), t('maintenance.remote.col.reason'), t('maintenance.remote.col.host')]}
          empty={t('maintenance.remote.historyEmpty')}
          wrap={[4]}
          rows={history.map((e) => ({
            key: e.id,
            bad: e.endReason === 'failed',
            cells: [at(e.startedAt), at(e.endedAt), e.minutes, e.endReason ? t(`maintenance.remote.end.${e.endReason}`) : t('maintenance.remote.running'), e.host ?? '—'],
          }))}
        />
      ) : null}
    </Panel>
  );
}
