import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { noReplyText, useBusy } from './hooks.js';
import { useAllowed } from './permissions.js';
import { RemotePanel } from './RemotePanel.js';
import { formatDuration } from './zone-time.js';

const BINS = ['plastic', 'can', 'glass'] as const;
type Bin = (typeof BINS)[number];
type Pending = { kind: 'bin'; bin: Bin } | { kind: 'restart' };

/** Technician actions on the machine (bin emptied, tare, restart) and what is running where (versions, addresses). */
export function MachinePanel() {
  const t = useT();
  const canEmpty = useAllowed('binEmptied');
  const canTare = useAllowed('tare');
  const canRestart = useAllowed('restartApp');
  const [info, setInfo] = useState<ReplyOf<'technician.systemInfo'> | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, run] = useBusy();

  useEffect(() => {
    void callCore('technician.systemInfo', {}).then(setInfo);
  }, []);

  const binName = (bin: Bin) => t(`maintenance.hardware.binName.${bin}`);
  const confirmed = (p: Pending) =>
    run(async () => {
      setPending(null);
      if (p.kind === 'bin') {
        const reply = await callCore('technician.binEmptied', { bin: p.bin });
        setMessage(!reply ? noReplyText(t) : t(reply.ok ? 'maintenance.machine.binEmptiedOk' : 'maintenance.machine.binEmptiedFailed', { name: binName(p.bin) }));
      } else {
        const reply = await callCore('technician.restartApp', {});
        setMessage(reply ? t('maintenance.machine.restarting') : noReplyText(t));
      }
    });
  const tare = () =>
    run(async () => {
      const reply = await callCore('technician.tare', {});
      if (!reply) return setMessage(noReplyText(t));
      const weight = reply.weightGrams === null ? '—' : `${reply.weightGrams} g`;
      setMessage(t(reply.ok ? 'maintenance.machine.tareOk' : 'maintenance.machine.tareFailed', { weight }));
    });

  return (
    <Panel
      title={t('maintenance.machine.title')}
      testId="panel-machine"
      facts={[
        [t('maintenance.machine.version'), info ? `${info.version} · ${t('maintenance.machine.core')} ${info.coreVersion}` : null],
        [t('maintenance.machine.runtime'), info ? `Node ${info.node} · ${info.platform}/${info.arch}` : null],
        [t('maintenance.summary.uptime'), info ? formatDuration(info.uptimeSec * 1000) : null],
        [t('maintenance.machine.dataDir'), info ? <span key="dir" className="mono">{info.dataDir}</span> : null],
        [
          t('maintenance.machine.addresses'),
          info ? (
            <ul key="addr" className="plain-list mono" data-testid="machine-addresses">
              {info.addresses.length === 0 ? <li>{t('maintenance.none')}</li> : info.addresses.map((a) => <li key={`${a.iface}-${a.address}`}>{`${a.iface}: ${a.address}`}</li>)}
            </ul>
          ) : null,
        ],
      ]}
    >
      {canEmpty
        ? BINS.map((bin) => (
            <button key={bin} className="button small" data-testid={`machine-bin-${bin}`} disabled={busy} onClick={() => setPending({ kind: 'bin', bin })}>
              {t('maintenance.machine.binEmptied', { name: binName(bin) })}
            </button>
          ))
        : null}
      {canTare ? (
        <button className="button small" data-testid="machine-tare" disabled={busy} onClick={() => void tare()}>
          {t('maintenance.machine.tare')}
        </button>
      ) : null}
      {canRestart ? (
        <button className="button small" data-testid="machine-restart" disabled={busy} onClick={() => setPending({ kind: 'restart' })}>
          {t('maintenance.machine.restart')}
        </button>
      ) : null}
      {!canEmpty || !canTare || !canRestart ? <div className="panel-result" data-testid="machine-denied">{t('maintenance.machine.someDenied')}</div> : null}
      {message ? <div className="panel-result" data-testid="machine-result">{message}</div> : null}
      {pending ? (
        <ConfirmDialog
          testId="machine-confirm"
          text={pending.kind === 'bin' ? t('maintenance.machine.confirmBin', { name: binName(pending.bin) }) : t('maintenance.machine.confirmRestart')}
          onYes={() => void confirmed(pending)}
          onNo={() => setPending(null)}
        />
      ) : null}
      <RemotePanel />
    </Panel>
  );
}
