import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MaintenanceScreen, TOUCH_THROTTLE_MS } from '../../../renderer/src/screens/MaintenanceScreen.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { outboxState, serverState } from './fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00:00 WIB
const materials = { pet: { accepting: true, reason: null }, can: { accepting: true, reason: null }, glass: { accepting: true, reason: null } } as const;
const state = { active: true, technicianName: 'Budi Santoso', lockedUntil: null, remainingAttempts: null, autoExitAt: NOW + 10 * 60_000, permissions: null };

describe('maintenance screen', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    kioskStore.getState().setMaintenance(state);
    kioskStore.getState().setServer(serverState());
    kioskStore.getState().setOutbox(outboxState());
    kioskStore.getState().setStatus({ state: 'maintenance', reasons: [{ code: 'bin_full', detail: 'plastic 97%' }], notices: [], materials, demoMode: false, machineName: 'RVM' });
    kioskStore.getState().setConnected(true);
    kioskStore.getState().setTransport('websocket');
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('postpones the inactivity exit on taps, at most once per throttle window', async () => {
    const core = fakeCore({ 'maintenance.touch': () => state });
    view = await mount(<MaintenanceScreen />);
    const somewhere = view.byTestId('panel-outbox');
    await tap(somewhere);
    await tap(somewhere);
    expect(core.callsOf('maintenance.touch')).toHaveLength(1);
    vi.setSystemTime(NOW + TOUCH_THROTTLE_MS - 1_000);
    await tap(view.byTestId('panel-server'));
    expect(core.callsOf('maintenance.touch')).toHaveLength(1);
    vi.setSystemTime(NOW + TOUCH_THROTTLE_MS + 1_000);
    await tap(view.byTestId('panel-status'));
    expect(core.callsOf('maintenance.touch')).toHaveLength(2);
  });

  it('names the technician and counts down to the auto exit on the synced clock', async () => {
    // The core's deadline is on the server clock; this device runs 30 s behind it.
    kioskStore.getState().setClock({ offsetMs: 30_000, timezone: 'Asia/Jakarta', abbreviation: 'WIB', synced: true, source: 'server', driftAlarm: false, sync: { zoneSource: 'handshake', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null } });
    fakeCore();
    view = await mount(<MaintenanceScreen />);
    expect(view.text('maintenance-technician')).toBe('Teknisi: Budi Santoso');
    expect(view.text('maintenance-auto-exit')).toBe('Keluar otomatis dalam 9:30');
    await act(async () => vi.advanceTimersByTime(9 * 60_000));
    expect(view.text('maintenance-auto-exit')).toBe('Keluar otomatis dalam 0:30');
    expect(view.byTestId('maintenance-auto-exit')?.className).toContain('bad-text');
  });

  it('exits through the core', async () => {
    const core = fakeCore({ 'maintenance.touch': () => state, 'maintenance.exit': () => ({ ...state, active: false, technicianName: null, autoExitAt: null }) });
    view = await mount(<MaintenanceScreen />);
    await tap(view.byTestId('maintenance-exit'));
    await settle();
    expect(core.callsOf('maintenance.exit')).toEqual([{}]);
  });

  it('explains a server link that is not usable and what to do about it', async () => {
    fakeCore();
    kioskStore.getState().setServer(serverState({ link: 'not_commissioned', lastError: 'heartbeat: HTTP 403' }));
    view = await mount(<MaintenanceScreen />);
    expect(view.byTestId('server-link')?.dataset.state).toBe('not_commissioned');
    expect(view.text('server-link')).toBe('Belum aktif: tidak ada penugasan teknisi aktif');
    expect(view.byTestId('panel-server')?.dataset.tone).toBe('bad');
    await act(async () => kioskStore.getState().setServer(serverState({ link: 'unauthorized' })));
    expect(view.text('server-link')).toContain('impor ulang kredensial');
    await act(async () => kioskStore.getState().setLanguage('en'));
    expect(view.text('server-link')).toBe('Unauthorized: re-import credentials (rvm-credentials.json)');
    expect(view.text('server-features')).toBe('available: timezoneabsent: rvmConfig, sessionStatusnot tried yet: telemetry, metrics, remoteAccess');
    expect(view.text('server-stats')).toBe('10 total · 1 failed · avg 42 ms · p95 121 ms');
  });

  it('tests the connection and lists the newest requests first (the timezone sync moved to the machine tab)', async () => {
    fakeCore({
      'maintenance.touch': () => state,
      'server.testConnection': () => ({ ok: false, link: 'offline', message: 'connect ECONNREFUSED' }),
      'server.status': () => ({
        state: serverState({ stats: { total: 12, failed: 2, avgMs: 40, p95Ms: 100 } }),
        recent: [
          { at: NOW - 60_000, method: 'POST', path: '/api/v1/edge/handshake', status: 200, ms: 52.4, attempt: 1 },
          { at: NOW - 30_000, method: 'POST', path: '/api/v1/edge/heartbeat', status: null, ms: 5000, attempt: 3, error: 'timeout' },
        ],
      }),
    });
    view = await mount(<MaintenanceScreen />);
    await tap(view.byTestId('server-test'));
    await settle();
    expect(view.text('server-result')).toBe('GAGAL: connect ECONNREFUSED');
    expect(view.byTestId('server-sync-timezone')).toBeNull();
    await tap(view.byTestId('server-log'));
    await settle();
    const rows = [...view.container.querySelectorAll('[data-testid="server-log-table"] tbody tr')];
    expect(rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['11:59:30', 'POST', '/api/v1/edge/heartbeat', 'timeout', '5000'],
      ['11:59:00', 'POST', '/api/v1/edge/handshake', '200', '52'],
    ]);
    expect(rows[0]?.className).toBe('bad');
    // The log's live counters are newer than the last server.state event.
    expect(view.text('server-stats')).toBe('12 total · 2 gagal · rata-rata 40 ms · p95 100 ms');
  });

  it('lists out-of-service reasons with the detail a technician needs', async () => {
    fakeCore();
    view = await mount(<MaintenanceScreen />);
    expect(view.text('status-state')).toBe('Sedang perawatan');
    expect(view.text('status-reasons')).toBe('Tempat penampungan penuh (plastic 97%)');
    expect(view.text('panel-status')).toContain('Terhubung (websocket)');
  });
});
