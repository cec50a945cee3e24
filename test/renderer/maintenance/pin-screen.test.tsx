import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PinScreen } from '../../../renderer/src/screens/PinScreen.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00:00 WIB
const digitKeys = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

async function enterPin(view: Mounted, pin: string): Promise<void> {
  for (const digit of pin) await tap(view.byTestId(`pin-${digit}`));
  await tap(view.byTestId('pin-ok'));
  await settle();
}

const keysDisabled = (view: Mounted) => [...digitKeys, 'ok'].map((k) => (view.byTestId(`pin-${k}`) as HTMLButtonElement).disabled);

describe('PIN screen', () => {
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

  it('sends the typed PIN and shows a wrong PIN with the attempts left', async () => {
    const core = fakeCore({ 'maintenance.enter': () => ({ ok: false, error: 'wrong_pin', remainingAttempts: 2 }) });
    view = await mount(<PinScreen onClose={() => undefined} />);
    await enterPin(view, '123456');
    expect(core.callsOf('maintenance.enter')).toEqual([{ pin: '123456' }]);
    expect(view.text('pin-message')).toBe('PIN salah · Sisa percobaan: 2');
    expect(keysDisabled(view).slice(0, 10)).toEqual(new Array(10).fill(false));
    expect(view.text('pin-dots')).toBe('○○○○○○');
  });

  it('locks the keypad with a countdown to the lock end in the machine zone, and reopens it after', async () => {
    kioskStore.getState().setClock({ offsetMs: 0, timezone: 'Asia/Jakarta', abbreviation: 'WIB', synced: true, source: 'server', driftAlarm: false, sync: { zoneSource: 'handshake', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null } });
    const lockedUntil = NOW + 5 * 60_000;
    fakeCore({ 'maintenance.enter': () => ({ ok: false, error: 'locked', remainingAttempts: 0, lockedUntil }) });
    view = await mount(<PinScreen onClose={() => undefined} />);
    await enterPin(view, '654321');

    expect(view.byTestId('pin-screen')?.dataset.locked).toBe('true');
    expect(view.text('pin-message')).toBe('Terlalu banyak PIN salah. Coba lagi dalam 5:00 (pukul 12:05:00)');
    expect(keysDisabled(view).every(Boolean)).toBe(true);

    await act(async () => vi.advanceTimersByTime(2 * 60_000));
    expect(view.text('pin-message')).toContain('Coba lagi dalam 3:00');
    expect(keysDisabled(view).every(Boolean)).toBe(true);

    await act(async () => vi.advanceTimersByTime(3 * 60_000 + 1_000));
    expect(view.byTestId('pin-screen')?.dataset.locked).toBe('false');
    expect(view.byTestId('pin-message')).toBeNull();
    expect(keysDisabled(view).slice(0, 10)).toEqual(new Array(10).fill(false));
  });

  it('shows a lock that outlived a restart (from maintenance.state) before any PIN is typed', async () => {
    const core = fakeCore();
    kioskStore.getState().setClock({ offsetMs: 0, timezone: 'Asia/Jayapura', abbreviation: 'WIT', synced: true, source: 'server', driftAlarm: false, sync: { zoneSource: 'handshake', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null } });
    kioskStore.getState().setMaintenance({ active: false, technicianName: null, lockedUntil: NOW + 90_000, remainingAttempts: 0, autoExitAt: null, permissions: null });
    view = await mount(<PinScreen onClose={() => undefined} />);
    expect(view.text('pin-message')).toBe('Terlalu banyak PIN salah. Coba lagi dalam 1:30 (pukul 14:01:30)');
    expect(keysDisabled(view).every(Boolean)).toBe(true);
    await tap(view.byTestId('pin-1'));
    expect(view.text('pin-dots')).toBe('○○○○○○');
    expect(core.calls).toEqual([]);
  });

  it('locks at once when the last wrong PIN comes back with lockedUntil', async () => {
    fakeCore({ 'maintenance.enter': () => ({ ok: false, error: 'wrong_pin', remainingAttempts: 0, lockedUntil: NOW + 60_000 }) });
    view = await mount(<PinScreen onClose={() => undefined} />);
    await enterPin(view, '111111');
    expect(view.text('pin-message')).toContain('Coba lagi dalam 1:00');
    expect(keysDisabled(view).every(Boolean)).toBe(true);
  });

  it('says when the server could not check the PIN, in English too', async () => {
    fakeCore({ 'maintenance.enter': () => ({ ok: false, error: 'unavailable', message: 'connect ECONNREFUSED 127.0.0.1:8000' }) });
    kioskStore.getState().setLanguage('en');
    view = await mount(<PinScreen onClose={() => undefined} />);
    await enterPin(view, '222222');
    expect(view.text('pin-message')).toBe('The PIN could not be checked: the server is unreachable (connect ECONNREFUSED 127.0.0.1:8000)');
    expect(keysDisabled(view).slice(0, 10)).toEqual(new Array(10).fill(false));
  });

  it('closes on the right PIN and reports a failed call instead of staying silent', async () => {
    const onClose = vi.fn();
    let fail = true;
    fakeCore({
      'maintenance.enter': () => {
        if (fail) throw new Error('maintenance.enter: no reply from the kiosk core');
        return { ok: true, technicianName: 'Budi' };
      },
    });
    view = await mount(<PinScreen onClose={onClose} />);
    await enterPin(view, '333333');
    // An uncoded failure is the generic code, in the screen's language; the English detail stays in the console.
    expect(view.text('pin-message')).toBe('Tidak ada jawaban dari inti kios (Terjadi gangguan, silakan coba lagi)');
    expect(onClose).not.toHaveBeenCalled();
    fail = false;
    await enterPin(view, '333333');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('keeps OK off until six digits are typed', async () => {
    const core = fakeCore();
    view = await mount(<PinScreen onClose={() => undefined} />);
    for (const digit of '12345') await tap(view.byTestId(`pin-${digit}`));
    expect((view.byTestId('pin-ok') as HTMLButtonElement).disabled).toBe(true);
    await tap(view.byTestId('pin-ok'));
    expect(core.calls).toEqual([]);
    await tap(view.byTestId('pin-6'));
    expect((view.byTestId('pin-ok') as HTMLButtonElement).disabled).toBe(false);
  });
});
