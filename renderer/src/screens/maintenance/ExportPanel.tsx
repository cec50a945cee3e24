import { useRef, useState } from 'react';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { kioskStore, useKiosk } from '../../store/store.js';
import { Choice } from './Choice.js';
import { joinCsvChunks } from './csv.js';
import { DownloadLink, useDownloads } from './download.js';
import { noReplyText } from './hooks.js';
import { RANGES, slices, type RangeKey } from './ranges.js';
import { UsbExport } from './UsbExport.js';
import { isoWithOffset } from './zone-time.js';

const KINDS = ['history', 'alerts', 'credits', 'audit'] as const;
type Kind = (typeof KINDS)[number];

/** Six hours of every sensor is a few thousand rows: each reply stays small, and a month shows 120 steps of progress. */
export const EXPORT_SLICE_MS = 6 * 3_600_000;

/**
 * CSV of the sensor history, the alert log, the credits held in the outbox and the audit log: saved by the
 * core to a USB drive, or — in the browser host only — as downloads, one file per kind, fetched slice by
 * slice with a progress bar. The Electron kiosk blocks downloads (main/electron/security.ts), so there the
 * download button is not offered.
 */
export function ExportPanel() {
  const t = useT();
  const timeZone = useKiosk((s) => s.clock.timezone);
  const serial = useKiosk((s) => s.server?.serialNumber ?? null);
  const browserHost = useKiosk((s) => s.transport !== 'electron');
  const [kinds, setKinds] = useState<Kind[]>(['history']);
  const [range, setRange] = useState<RangeKey>('24h');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [downloads, offer] = useDownloads();
  const cancelled = useRef(false);

  const bounds = () => {
    const to = Date.now() + kioskStore.getState().clock.offsetMs;
    return { from: to - RANGES[range], to };
  };
  const toggle = (kind: Kind) => setKinds((now) => (now.includes(kind) ? now.filter((k) => k !== kind) : KINDS.filter((k) => k === kind || now.includes(k))));

  const run = async () => {
    const { from, to } = bounds();
    const parts = slices(from, to, EXPORT_SLICE_MS);
    const total = parts.length * kinds.length;
    cancelled.current = false;
    setMessage(null);
    setProgress({ done: 0, total });
    const files: Array<{ filename: string; csv: string }> = [];
    const day = (ms: number) => isoWithOffset(ms, timeZone).slice(0, 10);
    let rows = 0;
    let done = 0;
    for (const kind of kinds) {
      const chunks: string[] = [];
      for (const part of parts) {
        if (cancelled.current) {
          setProgress(null);
          return setMessage(t('maintenance.export.cancelled'));
        }
        const reply = await callCore('export.csv', { kind, from: part.from, to: part.to });
        if (!reply) {
          setProgress(null);
          return setMessage(noReplyText(t));
        }
        chunks.push(reply.csv);
        rows += reply.rows;
        setProgress({ done: ++done, total });
      }
      files.push({ filename: `${serial ?? 'rvm'}-${kind}-${day(from)}-${day(to)}.csv`, csv: joinCsvChunks(chunks) });
    }
    offer(files);
    setProgress(null);
    setMessage(t('maintenance.export.done', { rows }));
  };

  const running = progress !== null;
  return (
    <section className="panel dash-panel" data-testid="panel-export">
      <h2>{t('maintenance.export.title')}</h2>
      <div className="dash-filters">
        <div className="choice" role="group" aria-label={t('maintenance.export.kind')} data-testid="export-kind">
          {KINDS.map((k) => (
            <button key={k} className={`button small${kinds.includes(k) ? ' active' : ''}`} aria-pressed={kinds.includes(k)} data-testid={`export-kind-${k}`} onClick={() => toggle(k)}>
              {t(`maintenance.export.kind.${k}`)}
            </button>
          ))}
        </div>
        <Choice testId="export-range" label={t('maintenance.charts.range')} value={range} onChange={setRange} options={(['24h', '7d', '30d'] as const).map((r) => [r, t(`maintenance.range.${r}`)])} />
      </div>
      {browserHost ? (
        <>
          <div className="panel-actions">
            <button className="button small primary" data-testid="export-start" disabled={running || kinds.length === 0} onClick={() => void run()}>
              {t('maintenance.export.start')}
            </button>
            {running ? (
              <button className="button small" data-testid="export-cancel" onClick={() => (cancelled.current = true)}>
                {t('maintenance.dash.cancel')}
              </button>
            ) : null}
            {downloads.map((d, i) => (
              <DownloadLink key={d.url} download={d} testId={i === 0 ? 'export-download' : `export-download-${i}`} label={t('maintenance.export.download')} />
            ))}
          </div>
          {progress ? (
            <div className="export-progress">
              <progress data-testid="export-progress" value={progress.done} max={progress.total} />
              <span data-testid="export-progress-text">{t('maintenance.export.progress', { done: progress.done, total: progress.total })}</span>
            </div>
          ) : null}
          {message ? <div className="panel-result" data-testid="export-result">{message}</div> : null}
        </>
      ) : null}
      <UsbExport kinds={kinds} range={bounds} />
    </section>
  );
}
