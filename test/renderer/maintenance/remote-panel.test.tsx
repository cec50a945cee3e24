/**
 * The remote-access panel: switched off by configuration, start with the minutes typed, a countdown to the
 * core's hard limit, stop, VPN addresses marked, refusals and `lastError` translated, the server's support,
 * the history, and `remote.state` reaching the store through bind-client.
 */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PayloadOf } from '../../../src/contract/index.js';
import { RemotePanel } from '../../../renderer/src/screens/maintenance/RemotePanel.js';
import { bindClient } from '../../../renderer/src/store/bind-client.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { typeInto } from './dashboard-fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00:00 WIB

function remoteState(overrides: Partial<PayloadOf<'remote.state'>> = {}): PayloadOf<'remote.state'> {
  return {
    enabled: true, active: false, sessionId: null, since: null, until: null,
    addresses: [
      { interface: 'tailscale0', address: '100.64.0.7', family: 'IPv4', vpn: true },
      { interface: 'eth0', address: '192.168.1.20', family: 'IPv4', vpn: false },
    ],
    lastError: null, lastErrorDetail: null, server: 'available', history: [],
    ...overrides,
  };
}

const button = (view: Mounted, id: string) => view.byTestId(id) as HTMLButtonElement;

describe('remote access panel', () => {
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

  it('says it is switched off in the configuration and offers no start', async () => {
    kioskStore.getState().setRemote(remoteState({ enabled: false }));
    const core = fakeCore();
    view = await mount(<RemotePanel />);
    expect(view.text('remote-state')).toBe('dimatikan di konfigurasi');
    expect(button(view, 'remote-start').disabled).toBe(true);
    expect(button(view, 'remote-stop').disabled).toBe(true);
    await tap(view.byTestId('remote-start'));
    expect(core.calls).toEqual([]);
    await act(async () => kioskStore.getState().setLanguage('en'));
    await settle();
    expect(view.text('remote-state')).toBe('switched off in configuration');
  });

  it('starts for the minutes typed, counts down to `until` on the core clock, and stops', async () => {
    kioskStore.getState().setRemote(remoteState());
    // The synced clock is 60 s ahead; the core ends the session by its own clock, so the countdown must not shift.
    kioskStore.getState().setClock({ ...kioskStore.getState().clock, offsetMs: 60_000 });
    const running = remoteState({ active: true, sessionId: 's1', since: NOW, until: NOW + 15 * 60_000 });
    const core = fakeCore({ 'remote.start': () => running, 'remote.stop': () => remoteState() });
    view = await mount(<RemotePanel />);
    expect(view.byTestId('remote-left')).toBeNull();
    await act(async () => typeInto(view!.byTestId('remote-minutes'), '15'));
    await tap(view.byTestId('remote-start'));
    await settle();
    expect(core.callsOf('remote.start')).toEqual([{ minutes: 15 }]);
    expect(view.text('remote-left')).toBe('15:00');
    expect(view.text('remote-state')).toBe('aktif sejak 12:00:00, berakhir 12:15:00');
    expect(button(view, 'remote-start').disabled).toBe(true);
    await act(async () => void vi.advanceTimersByTime(61_000));
    expect(view.text('remote-left')).toBe('13:59');
    await act(async () => void vi.advanceTimersByTime(14 * 60_000));
    expect(view.text('remote-left')).toBe('0:00'); // never negative while the core has not said it ended

    await tap(view.byTestId('remote-stop'));
    await settle();
    expect(core.callsOf('remote.stop')).toEqual([{}]);
    expect(view.text('remote-state')).toBe('tidak aktif');
    expect(view.byTestId('remote-left')).toBeNull();
  });

  it('refuses minutes out of range on the screen, before asking the core', async () => {
    kioskStore.getState().setRemote(remoteState());
    const core = fakeCore();
    view = await mount(<RemotePanel />);
    await act(async () => typeInto(view!.byTestId('remote-minutes'), '0'));
    expect(view.text('remote-minutes-invalid')).toBe('Isi 1 sampai 1440 menit');
    expect(button(view, 'remote-start').disabled).toBe(true);
    expect(core.calls).toEqual([]);
  });

  it('shows a refusal, lastError and an absent server in the screen language', async () => {
    kioskStore.getState().setRemote(remoteState({ server: 'absent', lastError: 'remote_start_failed', lastErrorDetail: 'exit 255' }));
    fakeCore({
      'remote.start': () => {
        throw new Error('[remote_unsupported] remote.start: the server has no remote-access endpoint');
      },
    });
    view = await mount(<RemotePanel />);
    expect(view.text('remote-server')).toBe('server tidak menyediakan');
    expect(view.text('remote-error')).toBe('Akses jarak jauh tidak dapat dimulai · exit 255');
    expect(view.byTestId('panel-remote')?.dataset.tone).toBe('bad');
    await tap(view.byTestId('remote-start'));
    await settle();
    expect(view.text('remote-result')).toBe('Server tidak menyediakan akses jarak jauh');
    await act(async () => kioskStore.getState().setLanguage('en'));
    await settle();
    expect(view.text('remote-server')).toBe('the server does not offer it');
  });

  it('lists the addresses with the VPN ones marked', async () => {
    kioskStore.getState().setRemote(remoteState());
    fakeCore();
    view = await mount(<RemotePanel />);
    const items = [...view.byTestId('remote-addresses')!.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual(['tailscale0: 100.64.0.7 (VPN)', 'eth0: 192.168.1.20']);
  });

  it('shows the history from remote.history, in the machine zone', async () => {
    kioskStore.getState().setRemote(remoteState());
    const core = fakeCore({
      'remote.history': () => ({
        entries: [
          { id: 'r2', startedAt: NOW - 60_000, endedAt: null, minutes: 30, endReason: null, host: 'tunnel.example.id' },
          { id: 'r1', startedAt: NOW - 7_200_000, endedAt: NOW - 5_400_000, minutes: 30, endReason: 'expired', host: null },
        ],
      }),
    });
    view = await mount(<RemotePanel />);
    await tap(view.byTestId('remote-history'));
    await settle();
    expect(core.callsOf('remote.history')).toEqual([{ limit: 20 }]);
    const rows = [...view.container.querySelectorAll('[data-testid="remote-history-table"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['11:59:00', '—', '30', 'masih berjalan', 'tunnel.example.id'],
      ['10:00:00', '10:30:00', '30', 'waktu habis', '—'],
    ]);
  });

  it('follows remote.state events through the store', async () => {
    const core = fakeCore();
    const unbind = bindClient(core.client, kioskStore);
    view = await mount(<RemotePanel />);
    expect(view.text('remote-state')).toBe('');
    core.emit('remote.state', remoteState({ active: true, since: NOW, until: NOW + 120_000 }));
    expect(view.text('remote-left')).toBe('2:00');
    unbind();
  });
});
