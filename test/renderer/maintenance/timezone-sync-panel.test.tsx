/** The timezone-sync panel: the designed endpoint's figures, and the "Sync timezone" outcomes in words. */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PayloadOf, ReplyOf } from '../../../src/contract/index.js';
import { TimezoneSyncPanel } from '../../../renderer/src/screens/maintenance/TimezoneSyncPanel.js';
import { initialClock } from '../../../renderer/src/store/clock-slice.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00 WIB
type Figures = NonNullable<PayloadOf<'clock.state'>['sync']['timezoneSync']>;

function figures(overrides: Partial<Figures> = {}): Figures {
  return {
    availability: 'available', spelling: 'slash', successes: 9, failures: 1, successRate: 0.9, lastSyncAt: NOW - 120_000, lastAttemptAt: NOW - 120_000,
    lastResult: 'synced', lastError: 'http_503', lastMethod: 'automatic', country: 'ID', city: 'Jakarta',
    server: { timezone: 'Asia/Jakarta', lastSyncAt: '2026-01-31T04:58:00Z', syncCount: 14, readAt: NOW - 120_000 }, nextAutoAt: NOW + 3_600_000,
    ...overrides,
  };
}

function setFigures(tz: Figures | undefined): void {
  kioskStore.getState().setClock({ ...initialClock, sync: { ...initialClock.sync, zoneChanges: 3, timezoneSync: tz } });
}

const reply = (overrides: Partial<ReplyOf<'clock.syncTimezone'>>): ReplyOf<'clock.syncTimezone'> => ({ outcome: 'synced', timezone: 'Asia/Makassar', retryInMs: null, reason: null, figures: figures(), ...overrides });

describe('TimezoneSyncPanel', () => {
  let view: Mounted | null = null;
  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('shows the figures: zone, place, counts and rate, last error translated, next sync, the server view, zone changes', async () => {
    fakeCore();
    setFigures(figures());
    view = await mount(<TimezoneSyncPanel />);
    const text = view.text('panel-timezone-sync');
    expect(view.text('tz-availability')).toBe('tersedia');
    expect(text).toContain('Asia/Jakarta (WIB)');
    expect(text).toContain('ID · Jakarta');
    expect(text).toContain('11:58');
    expect(text).toContain('otomatis');
    expect(view.text('tz-counts')).toBe('9 berhasil · 1 gagal · 90% berhasil');
    expect(view.text('tz-last-error')).toBe('server menjawab HTTP 503');
    expect(text).toContain('13:00'); // next automatic sync, in the machine zone
    expect(view.text('tz-server')).toBe('Asia/Jakarta · sinkron terakhir 11:58:00 · 14 kali');
    expect(text).toContain('3 kali berganti');
    await act(async () => kioskStore.getState().setLanguage('en'));
    expect(view.text('tz-counts')).toBe('9 succeeded · 1 failed · 90% success');
    expect(view.text('tz-last-error')).toBe('the server answered HTTP 503');
  });

  it('says calmly that today\'s server does not offer it, also when the core sent no figures', async () => {
    fakeCore();
    setFigures(figures({ availability: 'absent', successes: 0, failures: 0, successRate: null, lastSyncAt: null, lastError: null, server: null, nextAutoAt: null }));
    view = await mount(<TimezoneSyncPanel />);
    expect(view.text('tz-availability')).toBe('tidak disediakan server ini');
    expect(view.text('tz-counts')).toBe('0 berhasil · 0 gagal · —% berhasil');
    expect(view.byTestId('panel-timezone-sync')?.dataset.tone).toBe('warn');
    await act(async () => setFigures(undefined));
    expect(view.text('tz-availability')).toBe('tidak disediakan server ini');
  });

  it('sends clock.syncTimezone {} and translates every outcome', async () => {
    const replies: Array<ReplyOf<'clock.syncTimezone'>> = [
      reply({}),
      reply({ outcome: 'failed', timezone: null, reason: 'timeout' }),
      reply({ outcome: 'failed', timezone: null, reason: 'http_502' }),
      reply({ outcome: 'failed', timezone: null, reason: 'invalid_reply' }),
      reply({ outcome: 'failed', timezone: null, reason: 'network' }),
      reply({ outcome: 'unsupported', timezone: null }),
      reply({ outcome: 'too_soon', timezone: null, retryInMs: 41_200 }),
      reply({ outcome: 'unconfigured', timezone: null }),
    ];
    const core = fakeCore({ 'clock.syncTimezone': () => replies.shift()! });
    setFigures(figures());
    view = await mount(<TimezoneSyncPanel />);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      await tap(view.byTestId('tz-sync'));
      await settle();
      seen.push(view.text('tz-result'));
    }
    expect(core.callsOf('clock.syncTimezone')).toEqual(Array(8).fill({}));
    expect(seen).toEqual([
      'Zona waktu tersinkron: Asia/Makassar',
      'Sinkron zona gagal: server tidak menjawab tepat waktu',
      'Sinkron zona gagal: server menjawab HTTP 502',
      'Sinkron zona gagal: jawaban server tidak dapat dibaca',
      'Sinkron zona gagal: jaringan tidak terjangkau',
      'Server ini tidak menyediakan sinkron zona waktu',
      'Baru saja disinkronkan; coba lagi dalam 42 detik',
      'Server belum diatur di mesin ini',
    ]);
  });

  it('says why when the core refuses the command', async () => {
    fakeCore({
      'clock.syncTimezone': () => {
        throw new Error('[forbidden] not in maintenance');
      },
    });
    view = await mount(<TimezoneSyncPanel />);
    await tap(view.byTestId('tz-sync'));
    await settle();
    expect(view.text('tz-result')).toMatch(/^Tidak ada jawaban dari inti kios \(.+\)$/);
    expect(view.text('tz-result')).not.toContain('forbidden');
  });
});
