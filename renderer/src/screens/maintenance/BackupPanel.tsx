import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { Panel, type PanelTone } from '../../components/Panel.js';
import { useT } from '../../i18n/strings.js';
import { kioskStore, useKiosk } from '../../store/store.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { noReplyText, useBusy, useMachineNow } from './hooks.js';
import { MiniTable } from './MiniTable.js';
import { BackupUsbPicker } from './BackupUsbPicker.js';
import { formatAt } from './zone-time.js';

type Archive = ReplyOf<'backup.status'>['archives'][number];
/** A restore waiting for the technician's yes; `force` after the core said the archive is another machine's. */
type PendingRestore = { archive: Archive; force: boolean };

const RUNNING = new Set(['collecting', 'archiving', 'uploading', 'copying', 'restoring']);

/** "3.4 MB": units read the same in both languages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} KB`;
  return `${bytes} B`;
}

/**
 * Backup and restore (docs/backup.md): progress of whatever runs, the last backup and its upload, the archives on
 * this machine, a copy to USB and a staged restore. A restore is applied at the next start, so the screen says
 * the kiosk restarts when idle rather than pretending it is already done.
 */
export function BackupPanel() {
  const t = useT();
  const state = useKiosk((s) => s.backup);
  const timeZone = useKiosk((s) => s.clock.timezone);
  const now = useMachineNow();
  const [archives, setArchives] = useState<Archive[] | null>(null);
  const [pending, setPending] = useState<PendingRestore | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, run] = useBusy();

  // The event carries no archive list; backup.status does, and seeds the store before the first event.
  const refresh = async () => {
    const reply = await callCore('backup.status', {});
    if (!reply) return;
    const { archives: list, ...rest } = reply;
    setArchives(list);
    kioskStore.getState().setBackup(rest);
  };
  useEffect(() => {
    void refresh();
  }, []);

  const create = () =>
    run(async () => {
      setMessage(t('maintenance.working'));
      const reply = await callCore('backup.create', {});
      setMessage(reply ? `${t('maintenance.backup.created', { file: reply.file, size: formatBytes(reply.bytes) })}${reply.upload ? ` · ${t(`maintenance.backup.upload.${reply.upload}`)}` : ''}` : noReplyText(t));
      await refresh();
    });

  const restore = (p: PendingRestore) =>
    run(async () => {
      setPending(null);
      setMessage(t('maintenance.working'));
      const reply = await callCore('backup.restore', { file: p.archive.file, force: p.force });
      if (reply) return setMessage(t(reply.restarting ? 'maintenance.backup.restoreStaged' : 'maintenance.backup.restoreNextStart'));
      // Another machine's archive: restoring it would make this kiosk that machine, so ask once more, plainly.
      if (!p.force && kioskStore.getState().lastError === 'backup_other_machine') {
        setMessage(null);
        return setPending({ archive: p.archive, force: true });
      }
      setMessage(noReplyText(t));
    });

  const running = state ? RUNNING.has(state.phase) : false;
  const tone: PanelTone = !state ? 'warn' : state.phase === 'failed' || state.lastError ? 'bad' : running ? 'warn' : 'ok';
  const lastAt = state?.lastBackupAt ? Date.parse(state.lastBackupAt) : NaN;
  return (
    <Panel
      title={t('maintenance.backup.title')}
      testId="panel-backup"
      tone={tone}
      facts={[
        [
          t('maintenance.backup.progress'),
          state ? (
            <span key="progress" className="backup-progress" data-testid="backup-progress">
              <span>{`${state.operation ? `${t(`maintenance.backup.operation.${state.operation}`)}: ` : ''}${t(`maintenance.backup.phase.${state.phase}`)}`}</span>
              {running ? <progress max={100} value={state.percent} /> : null}
              {running ? <span>{`${Math.round(state.percent)}%`}</span> : null}
            </span>
          ) : null,
        ],
        [t('maintenance.backup.lastBackup'), Number.isFinite(lastAt) ? formatAt(lastAt, now, timeZone) : null],
        [t('maintenance.backup.lastFile'), state?.lastFile ? <span className="mono">{state.lastFile}</span> : null],
        [t('maintenance.lastError'), state?.lastError ? <span data-testid="backup-error">{t(`error.${state.lastError}`)}</span> : null],
        [
          t('maintenance.backup.uploadLabel'),
          state ? (
            <span key="upload" data-testid="backup-upload">
              {`${state.lastUpload ? t(`maintenance.backup.upload.${state.lastUpload}`) : '—'} · ${t(`maintenance.backup.server.${state.server}`)}`}
            </span>
          ) : null,
        ],
      ]}
    >
      <button className="button small primary" data-testid="backup-create" disabled={busy || running} onClick={() => void create()}>
        {t('maintenance.backup.create')}
      </button>
      <BackupUsbPicker disabled={busy || running} onDone={(text) => setMessage(text)} />
      {message ? <div className="panel-result" data-testid="backup-result">{message}</div> : null}
      <MiniTable
        testId="backup-archives"
        head={[t('maintenance.col.time'), t('maintenance.backup.col.file'), t('maintenance.backup.col.size'), '']}
        empty={archives ? t('maintenance.backup.noArchives') : t('maintenance.working')}
        wrap={[1]}
        rows={(archives ?? []).map((a) => ({
          key: a.file,
          cells: [
            formatAt(a.at, now, timeZone),
            a.name,
            formatBytes(a.bytes),
            <button key="restore" className="button small" data-testid={`backup-restore-${a.name}`} disabled={busy || running} onClick={() => setPending({ archive: a, force: false })}>
              {t('maintenance.backup.restore')}
            </button>,
          ],
        }))}
      />
      {pending ? (
        <ConfirmDialog
          testId={pending.force ? 'backup-confirm-force' : 'backup-confirm'}
          text={t(pending.force ? 'maintenance.backup.confirmOtherMachine' : 'maintenance.backup.confirmRestore', { name: pending.archive.name })}
          onYes={() => void restore(pending)}
          onNo={() => setPending(null)}
        />
      ) : null}
    </Panel>
  );
}
