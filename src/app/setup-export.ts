/**
 * The technician's CSV export (src/contract/export.ts): `export.csv` for the browser host's download,
 * `export.usbMounts` and `export.toUsb` for a USB drive, with `export.state` as the progress bar. One USB
 * export at a time (a second is refused with `export_busy`): two writers on one stick only slow both down.
 */
import { CommandError } from '../core/kiosk-core.js';
import type { PayloadOf } from '../contract/index.js';
import { createLogger } from '../log/logger.js';
import { localDay } from '../monitoring/daily-tally.js';
import { listUsbMounts, MOUNT_ROOTS } from '../storage/usb-mounts.js';
import type { KioskContext } from './context.js';
import { exportCsv, type ExportKind, type ExportSources } from './export-sources.js';
import { writeUsbExport } from './usb-export.js';

const log = createLogger('app.export');

type ExportState = PayloadOf<'export.state'>;
const IDLE: ExportState = { phase: 'idle', percent: 0, file: null, dir: null, error: null, errorMessage: null };

export interface ExportDeps extends ExportSources {
  /** The machine's serial (the handshake's hardware_id) for folder names; the machine name when null. */
  serial: string | null;
  now?: () => number;
  /** Mount roots and table, for tests; default /media and /run/media from /proc/self/mounts. */
  roots?: readonly string[];
  mountTable?: () => Promise<string>;
}

export function setupExport(ctx: KioskContext, deps: ExportDeps): void {
  const { core, config } = ctx;
  const now = deps.now ?? Date.now;
  const timezone = () => core.current('clock.state')?.timezone ?? config.timezone;
  const day = (ms: number) => localDay(ms, timezone()).replaceAll('-', '');
  const range = (from: number | string, to: number | string | undefined) => ({ from: toMs(from), to: to === undefined ? now() : toMs(to) });
  const mounts = () => listUsbMounts({ roots: deps.roots ?? MOUNT_ROOTS, extra: config.usbExport.extraDirs, ...(deps.mountTable ? { mounts: deps.mountTable } : {}) });
  let busy = false;
  core.emit('export.state', IDLE);

  core.handle('export.csv', async ({ kind, from, to }) => {
    const r = range(from, to);
    const result = await exportCsv(kind, r, deps);
    return { filename: `${deps.serial ?? 'rvm'}-${kind}-${day(r.from)}-${day(r.to - 1)}.csv`, ...result };
  });

  core.handle('export.usbMounts', async () => ({ mounts: await mounts() }));

  core.handle('export.toUsb', async ({ kinds, from, to, mount }) => {
    if (busy) throw new CommandError('export_busy', 'another export to USB is running');
    busy = true;
    const r = range(from, to);
    const unique = [...new Set(kinds)] as ExportKind[];
    const at = now();
    let state: ExportState = { ...IDLE, phase: 'writing' };
    core.emit('export.state', state);
    try {
      const result = await writeUsbExport({
        mount,
        kinds: unique,
        machine: deps.serial ?? config.machineName,
        stamp: `${day(at)}-${localTime(at, timezone())}`,
        mounts: await mounts(),
        csvOf: (kind) => exportCsv(kind, r, deps),
        onProgress: (p) => core.emit('export.state', (state = { ...state, ...p })),
      });
      core.emit('export.state', { ...state, phase: 'done', percent: 100 });
      log.info('exported to USB', { dir: result.dir, files: result.files.map((f) => `${f.name}:${f.rows}`).join(' ') });
      return result;
    } catch (err) {
      const code = err instanceof CommandError && isExportCode(err.reason) ? err.reason : 'export_usb_failed';
      const message = err instanceof Error ? err.message : String(err);
      core.emit('export.state', { ...state, phase: 'failed', error: code, errorMessage: message });
      log.warn('export to USB failed', { mount, error: message });
      throw err instanceof CommandError ? err : new CommandError('export_usb_failed', message);
    } finally {
      busy = false;
    }
  });
}

function isExportCode(code: string): code is NonNullable<ExportState['error']> {
  return code === 'export_busy' || code === 'export_usb_failed' || code === 'export_too_large' || code === 'export_not_a_drive';
}

/** `HHMM` in the machine's zone: part of the folder name, so two exports a day do not meet. */
function localTime(ms: number, timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms).replace(':', '');
  } catch {
    return new Date(ms).toISOString().slice(11, 16).replace(':', '');
  }
}

function toMs(bound: number | string): number {
  return typeof bound === 'number' ? bound : Date.parse(bound);
}
