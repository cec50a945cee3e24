import { useCallback, useEffect, useRef, useState } from 'react';
import type { PayloadOf, ReplyOf, RequestOf } from '../../../../src/contract/index.js';
import { callCore, onCoreEvent } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { Choice } from './Choice.js';
import { noReplyText } from './hooks.js';

type Kind = RequestOf<'export.toUsb'>['kinds'][number];
type Mount = ReplyOf<'export.usbMounts'>['mounts'][number];

/**
 * Saving the CSV files to a USB drive: the core lists the drives (the renderer cannot see them) and writes
 * the files; its `export.state` events move the progress bar. On the Electron kiosk this is the only way
 * out, since downloads are blocked there.
 */
export function UsbExport({ kinds, range }: { kinds: Kind[]; range: () => { from: number; to: number } }) {
  const t = useT();
  const [mounts, setMounts] = useState<Mount[] | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [state, setState] = useState<PayloadOf<'export.state'> | null>(null);
  const [running, setRunning] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const tRef = useRef(t);
  tRef.current = t;

  const load = useCallback(async () => {
    const reply = await callCore('export.usbMounts', {});
    if (!reply) return setMessage(noReplyText(tRef.current));
    const writable = reply.mounts.filter((m) => m.writable);
    setMounts(writable);
    setChosen((current) => (writable.some((m) => m.dir === current) ? current : (writable[0]?.dir ?? '')));
  }, []);

  useEffect(() => {
    void load();
    return onCoreEvent('export.state', setState);
  }, [load]);

  const start = async () => {
    setRunning(true);
    setMessage(null);
    const reply = await callCore('export.toUsb', { kinds, mount: chosen, ...range() });
    setRunning(false);
    if (!reply) return setMessage(noReplyText(t));
    setMessage(t('maintenance.export.usb.done', { files: reply.files.length, dir: reply.dir }));
  };

  const index = (dir: string) => String(mounts?.findIndex((m) => m.dir === dir) ?? -1);
  const showProgress = running && state?.phase === 'writing';
  return (
    <div className="usb-export" data-testid="export-usb">
      <h3>{t('maintenance.export.usb.title')}</h3>
      {mounts && mounts.length > 0 ? (
        <Choice
          testId="export-usb-drive"
          label={t('maintenance.export.usb.drive')}
          value={index(chosen)}
          onChange={(i) => setChosen(mounts[Number(i)]?.dir ?? '')}
          options={mounts.map((m, i) => [String(i), m.label])}
        />
      ) : (
        <div className="panel-result" data-testid="export-usb-none">{t('maintenance.export.usb.none')}</div>
      )}
      <div className="panel-actions">
        <button className="button small primary" data-testid="export-usb-start" disabled={running || !chosen || kinds.length === 0} onClick={() => void start()}>
          {t('maintenance.export.usb.start')}
        </button>
        <button className="button small" data-testid="export-usb-refresh" disabled={running} onClick={() => void load()}>
          {t('maintenance.dash.refresh')}
        </button>
      </div>
      {showProgress ? (
        <div className="export-progress">
          <progress data-testid="export-usb-progress" value={state.percent} max={100} />
          <span data-testid="export-usb-progress-text">{t('maintenance.export.usb.progress', { percent: Math.round(state.percent), file: state.file ?? '' })}</span>
        </div>
      ) : null}
      {message ? <div className="panel-result" data-testid="export-usb-result">{message}</div> : null}
    </div>
  );
}
