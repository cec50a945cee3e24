import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestOf } from '../../../src/contract/index.js';
import { EXPORT_SLICE_MS, ExportPanel } from '../../../renderer/src/screens/maintenance/ExportPanel.js';
import { SummaryPanel } from '../../../renderer/src/screens/maintenance/SummaryPanel.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { summary } from './dashboard-fixtures.js';
import { serverState } from './fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z');
const HEADER = 'time,sensor,value\r\n';
/** Every ExportPanel asks for the USB drives when shown; these tests are about the download. */
const NO_DRIVES = { 'export.usbMounts': () => ({ mounts: [] }) };

describe('CSV export', () => {
  let view: Mounted | null = null;
  let blobs: Blob[];

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    kioskStore.getState().setClock({ ...kioskStore.getState().clock, timezone: 'Asia/Jakarta' });
    kioskStore.getState().setServer(serverState());
    blobs = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:test/${blobs.length}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  /** A core that answers each slice only when the test lets it, so progress can be watched between slices. */
  function gatedCore() {
    const waiting: Array<() => void> = [];
    const fake = fakeCore({
      ...NO_DRIVES,
      'export.csv': (r: RequestOf<'export.csv'>) =>
        new Promise((resolve) => {
          waiting.push(() => resolve({ filename: 'x.csv', rows: 1, csv: `${HEADER}${new Date(Number(r.from)).toISOString()},bin.glass,1\r\n` }));
        }),
    });
    const release = async () => {
      waiting.shift()!();
      await settle();
    };
    return { fake, release };
  }

  it('fetches the range slice by slice with a progress bar, then offers one CSV with one header', async () => {
    const { fake, release } = gatedCore();
    view = await mount(<ExportPanel />);
    await tap(view.byTestId('export-start'));
    const progress = () => view!.byTestId('export-progress') as HTMLProgressElement;
    expect(progress().max).toBe(4);
    expect(progress().value).toBe(0);
    expect((view.byTestId('export-start') as HTMLButtonElement).disabled).toBe(true);
    await release();
    expect(progress().value).toBe(1);
    expect(view.text('export-progress-text')).toBe('1 dari 4 bagian');
    await release();
    await release();
    expect(view.byTestId('export-download')).toBeNull();
    await release();

    const from = NOW - 24 * 3_600_000;
    expect(fake.callsOf('export.csv')).toEqual([0, 1, 2, 3].map((i) => ({ kind: 'history', from: from + i * EXPORT_SLICE_MS, to: from + (i + 1) * EXPORT_SLICE_MS })));
    expect(view.byTestId('export-progress')).toBeNull();
    expect(view.text('export-result')).toBe('CSV siap: 4 baris');
    const link = view.byTestId('export-download') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('blob:test/1');
    expect(link.getAttribute('download')).toBe('RVM-202601-001-history-2026-01-30-2026-01-31.csv');
    expect(blobs).toHaveLength(1);
    const text = await blobs[0]!.text();
    expect(text.startsWith(HEADER)).toBe(true);
    expect(text.split(HEADER)).toHaveLength(2); // the header once
    expect(text.trim().split('\r\n')).toHaveLength(5);
  });

  it('exports the alert log over 7 days in 28 slices', async () => {
    const fake = fakeCore({ ...NO_DRIVES, 'export.csv': () => ({ filename: 'a.csv', rows: 0, csv: HEADER }) });
    view = await mount(<ExportPanel />);
    await tap(view.byTestId('export-kind-alerts'));
    await tap(view.byTestId('export-kind-history')); // toggles: history was on by default
    await tap(view.byTestId('export-range-7d'));
    await tap(view.byTestId('export-start'));
    await settle();
    const calls = fake.callsOf('export.csv') as Array<{ kind: string; from: number; to: number }>;
    expect(calls).toHaveLength(28);
    expect(calls.every((c) => c.kind === 'alerts')).toBe(true);
    expect(calls[0]!.from).toBe(NOW - 7 * 24 * 3_600_000);
    expect(calls.at(-1)!.to).toBe(NOW);
    expect(await blobs[0]!.text()).toBe(HEADER);
  });

  it('stops at a slice the core refuses, says why, and offers no file', async () => {
    let n = 0;
    fakeCore({
      ...NO_DRIVES,
      'export.csv': () => {
        if (++n === 2) throw new Error('[forbidden] export.csv: technician only');
        return { filename: 'x.csv', rows: 1, csv: HEADER };
      },
    });
    view = await mount(<ExportPanel />);
    await tap(view.byTestId('export-start'));
    await settle();
    expect(n).toBe(2);
    expect(view.text('export-result')).toBe('Tidak ada jawaban dari inti kios (Hanya untuk teknisi)');
    expect(view.byTestId('export-download')).toBeNull();
    expect(blobs).toHaveLength(0);
    expect((view.byTestId('export-start') as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers one download per chosen kind, in the panel\'s order, with the progress over all of them', async () => {
    const fake = fakeCore({ ...NO_DRIVES, 'export.csv': (r: RequestOf<'export.csv'>) => ({ filename: 'x.csv', rows: 1, csv: `${r.kind}\r\n1\r\n` }) });
    view = await mount(<ExportPanel />);
    await tap(view.byTestId('export-kind-audit'));
    await tap(view.byTestId('export-kind-credits'));
    await tap(view.byTestId('export-start'));
    await settle();
    const kinds = (fake.callsOf('export.csv') as Array<{ kind: string }>).map((c) => c.kind);
    expect(kinds).toEqual([...Array(4).fill('history'), ...Array(4).fill('credits'), ...Array(4).fill('audit')]);
    expect(view.byTestId('export-download')!.getAttribute('download')).toBe('RVM-202601-001-history-2026-01-30-2026-01-31.csv');
    expect(view.byTestId('export-download-1')!.getAttribute('download')).toBe('RVM-202601-001-credits-2026-01-30-2026-01-31.csv');
    expect(view.byTestId('export-download-2')!.getAttribute('download')).toBe('RVM-202601-001-audit-2026-01-30-2026-01-31.csv');
    expect(await blobs[2]!.text()).toBe('audit\r\n1\r\n1\r\n1\r\n1\r\n');
    expect(view.text('export-result')).toBe('CSV siap: 12 baris');
  });

  it('on the Electron kiosk offers no download, only the USB drive', async () => {
    kioskStore.getState().setTransport('electron');
    fakeCore({ 'export.usbMounts': () => ({ mounts: [] }) });
    view = await mount(<ExportPanel />);
    await settle();
    expect(view.byTestId('export-start')).toBeNull();
    expect(view.byTestId('export-usb')).not.toBeNull();
    expect(view.text('export-usb-none')).toContain('Tidak ada drive USB');
  });

  it('saves the chosen kinds to the chosen USB drive, with the core\'s progress, and says where', async () => {
    let finish: (() => void) | null = null;
    const fake = fakeCore({
      'export.usbMounts': () => ({
        mounts: [
          { dir: '/media/kiosk/SANDISK', label: 'SANDISK', writable: true },
          { dir: '/media/kiosk/CDROM', label: 'CDROM', writable: false },
          { dir: '/run/media/kiosk/KINGSTON', label: 'KINGSTON', writable: true },
        ],
      }),
      'export.toUsb': (r) =>
        new Promise((resolve) => {
          finish = () => resolve({ dir: `${r.mount}/rvm-export-RVM-202601-001-20260131-1200`, files: r.kinds.map((kind) => ({ kind, name: `${kind}.csv`, rows: 3 })) });
        }),
    });
    view = await mount(<ExportPanel />);
    await settle();
    // The read-only drive is not offered.
    expect(view.text('export-usb-drive')).toBe('SANDISKKINGSTON');
    await tap(view.byTestId('export-usb-drive-1'));
    await tap(view.byTestId('export-kind-alerts'));
    await tap(view.byTestId('export-usb-start'));
    expect(fake.callsOf('export.toUsb')).toEqual([{ kinds: ['history', 'alerts'], mount: '/run/media/kiosk/KINGSTON', from: NOW - 24 * 3_600_000, to: NOW }]);
    expect((view.byTestId('export-usb-start') as HTMLButtonElement).disabled).toBe(true);

    fake.emit('export.state', { phase: 'writing', percent: 50, file: 'alerts.csv', dir: '/run/media/kiosk/KINGSTON/x', error: null, errorMessage: null });
    expect((view.byTestId('export-usb-progress') as HTMLProgressElement).value).toBe(50);
    expect(view.text('export-usb-progress-text')).toBe('50% · alerts.csv');

    fake.emit('export.state', { phase: 'done', percent: 100, file: 'alerts.csv', dir: '/run/media/kiosk/KINGSTON/x', error: null, errorMessage: null });
    finish!();
    await settle();
    expect(view.byTestId('export-usb-progress')).toBeNull();
    expect(view.text('export-usb-result')).toBe('2 berkas disimpan di /run/media/kiosk/KINGSTON/rvm-export-RVM-202601-001-20260131-1200');
  });

  it('says why the core refused a USB export', async () => {
    fakeCore({
      'export.usbMounts': () => ({ mounts: [{ dir: '/media/kiosk/SANDISK', label: 'SANDISK', writable: true }] }),
      'export.toUsb': () => {
        throw new Error('[export_usb_failed] export.toUsb: could not write');
      },
    });
    view = await mount(<ExportPanel />);
    await settle();
    await tap(view.byTestId('export-usb-start'));
    await settle();
    expect(view.text('export-usb-result')).toBe('Tidak ada jawaban dari inti kios (Tidak dapat menulis ke drive USB)');
  });

  it('can be cancelled between slices', async () => {
    const { fake, release } = gatedCore();
    view = await mount(<ExportPanel />);
    await tap(view.byTestId('export-start'));
    await tap(view.byTestId('export-cancel'));
    await release();
    expect(fake.callsOf('export.csv')).toHaveLength(1);
    expect(view.text('export-result')).toBe('Ekspor dibatalkan');
    expect(blobs).toHaveLength(0);
  });
});

describe("today's figures", () => {
  let view: Mounted | null = null;

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('shows items by material, reject rate, open alerts and uptime, and reads them again each minute', async () => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    kioskStore.getState().setClock({ ...kioskStore.getState().clock, timezone: 'Asia/Jakarta' });
    const fake = fakeCore({ 'monitoring.summary': () => summary() });
    view = await mount(<SummaryPanel />);
    await settle();
    const text = view.text('panel-summary');
    for (const part of ['Botol plastik12', 'Kaleng aluminium5', 'Kaca3', '20 / 4', '16.7%', '230', '1:02:03', '25:01:01', '2026-01-31 · 00:00:00']) expect(text).toContain(part);
    expect(view.text('summary-open-alerts')).toBe('2 (kritis 1 · waspada 1 · info 0)');
    expect(view.byTestId('panel-summary')?.dataset.tone).toBe('bad');
    await act(async () => vi.advanceTimersByTime(60_000));
    await settle();
    expect(fake.callsOf('monitoring.summary')).toHaveLength(2);
  });
});
