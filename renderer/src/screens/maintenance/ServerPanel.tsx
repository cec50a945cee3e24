import { useState } from 'react';
import type { PayloadOf, ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel, type PanelTone } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';
import { noReplyText, useBusy, useMachineNow, useRelativeTime } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { formatAt } from './zone-time.js';

type ServerState = PayloadOf<'server.state'>;
type Link = ServerState['link'];
type Stats = ServerState['stats'];
type FeatureState = ServerState['features']['timezone'];

const FEATURE_ORDER: FeatureState[] = ['available', 'absent', 'unknown'];

const TONE: Record<Link, PanelTone> = {
  online: 'ok',
  connecting: 'warn',
  offline: 'bad',
  unconfigured: 'bad',
  not_commissioned: 'bad',
  unauthorized: 'bad',
  blocked: 'bad',
};

/**
 * The MyRVM server link: why it is (not) online, how requests fare, and the technician's connection tools. The
 * timezone sync lives in TimezoneSyncPanel (machine tab), which translates its outcome codes.
 */
export function ServerPanel() {
  const t = useT();
  const server = useKiosk((s) => s.server);
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  const [busy, run] = useBusy();
  const [message, setMessage] = useState<string | null>(null);
  const [log, setLog] = useState<ReplyOf<'server.status'> | null>(null);

  const { ago: at } = useRelativeTime();

  const testConnection = () =>
    run(async () => {
      setMessage(t('maintenance.working'));
      const reply = await callCore('server.testConnection', {});
      setMessage(reply ? `${reply.ok ? t('maintenance.ok') : t('maintenance.failed')}: ${reply.message}` : noReplyText(t));
    });
  const toggleLog = () =>
    run(async () => {
      if (log) return setLog(null);
      const reply = await callCore('server.status', {});
      if (!reply) setMessage(noReplyText(t));
      setLog(reply);
    });

  if (!server) return <Panel title={t('maintenance.server.title')} testId="panel-server" facts={[[t('maintenance.server.link'), null]]} tone="warn" />;
  // server.status counts requests live; the event's figures only move with link changes. Show the fresher.
  const stats: Stats = log && log.state.stats.total > server.stats.total ? log.state.stats : server.stats;

  return (
    <Panel
      title={t('maintenance.server.title')}
      testId="panel-server"
      tone={TONE[server.link]}
      facts={[
        [t('maintenance.server.link'), <span key="link" data-testid="server-link" data-state={server.link}>{t(`maintenance.server.link.${server.link}`)}</span>],
        [t('maintenance.server.channel'), `${t(`maintenance.server.${server.realtime}`)} · ${server.realtimeDetail}`],
        [t('maintenance.server.url'), `${server.serverUrl || '—'} (${t(`maintenance.server.mode.${server.mode}`)})`],
        [t('maintenance.server.uuid'), server.machineUuid ? <span className="mono">{server.machineUuid}</span> : null],
        [t('maintenance.server.identity'), `${server.rvmId ?? '—'} · ${server.serialNumber || '—'}`],
        [t('maintenance.server.handshake'), at(server.lastHandshakeAt)],
        [t('maintenance.server.heartbeat'), at(server.lastHeartbeatAt)],
        [t('maintenance.lastError'), server.lastError],
        [t('maintenance.server.features'), <FeatureList key="features" features={server.features} />],
        [t('maintenance.server.requests'), <RequestStats key="stats" stats={stats} />],
      ]}
    >
      <button className="button small" data-testid="server-test" disabled={busy} onClick={() => void testConnection()}>
        {t('maintenance.server.test')}
      </button>
      <button className={`button small${log ? ' active' : ''}`} data-testid="server-log" disabled={busy} onClick={() => void toggleLog()}>
        {t('maintenance.server.log')}
      </button>
      {message ? <div className="panel-result" data-testid="server-result">{message}</div> : null}
      {log ? (
        <MiniTable
          testId="server-log-table"
          head={[t('maintenance.col.time'), t('maintenance.col.method'), t('maintenance.col.path'), t('maintenance.col.status'), t('maintenance.col.ms')]}
          empty={t('maintenance.server.logEmpty')}
          wrap={[2]}
          rows={log.recent
            .slice(-20)
            .reverse()
            .map((r, i) => ({
              key: `${r.at}-${i}`,
              bad: r.status === null || r.status >= 400,
              cells: [formatAt(r.at, now, timeZone), r.method, r.path, r.status ?? r.error ?? '—', r.ms.toFixed(0)],
            }))}
        />
      ) : null}
    </Panel>
  );
}

/** Grouped by state ("available: timezone · not tried yet: sessionStatus") to stay short in a narrow panel. */
function FeatureList({ features }: { features: ServerState['features'] }) {
  const t = useT();
  const entries = Object.entries(features) as Array<[string, FeatureState]>;
  return (
    <ul className="feature-list" data-testid="server-features">
      {FEATURE_ORDER.map((state) => {
        const names = entries.filter(([, s]) => s === state).map(([name]) => name);
        return names.length > 0 ? (
          <li key={state} data-state={state}>
            {t(`maintenance.server.feature.${state}`)}: {names.join(', ')}
          </li>
        ) : null;
      })}
    </ul>
  );
}

function RequestStats({ stats }: { stats: Stats }) {
  const t = useT();
  return (
    <span data-testid="server-stats">
      {t('maintenance.server.requestStats', { total: stats.total, failed: stats.failed, avg: stats.avgMs.toFixed(0), p95: stats.p95Ms.toFixed(0) })}
    </span>
  );
}
