/**
 * The recycler's screens in happy-dom against a fake core: availability in words, out of service without the
 * core's English, "take your item back" until the intake is clear, the still-there prompt, a guest's claim and
 * donation, the offline note, and the QR login with the server unreachable.
 */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PayloadOf } from '../../src/contract/index.js';
import { availabilitySentence } from '../../renderer/src/components/materials.js';
import { ItemResult, TAKE_BACK_MIN_MS } from '../../renderer/src/components/ItemResult.js';
import { StillTherePrompt } from '../../renderer/src/components/StillTherePrompt.js';
import { translate } from '../../renderer/src/i18n/strings.js';
import { FinishedScreen } from '../../renderer/src/screens/FinishedScreen.js';
import { LoginScreen } from '../../renderer/src/screens/LoginScreen.js';
import { OutOfServiceScreen } from '../../renderer/src/screens/OutOfServiceScreen.js';
import { idleSession, type SessionItem, type SessionView } from '../../renderer/src/store/session-slice.js';
import { kioskStore, type KioskState } from '../../renderer/src/store/store.js';
import { fakeCore, mount, resetStore, settle, tap } from './maintenance/harness.js';
import { serverState } from './maintenance/fixtures.js';

const taken = { accepting: true, reason: null } as const;
const full = { accepting: false, reason: 'bin_full' } as const;

function status(overrides: Partial<PayloadOf<'system.status'>> = {}): PayloadOf<'system.status'> {
  return { state: 'ready', reasons: [], notices: [], materials: { pet: taken, can: taken, glass: taken }, demoMode: false, machineName: 'RVM Pasar Baru', ...overrides };
}

function session(overrides: Partial<SessionView> = {}): SessionView {
  return { ...idleSession, phase: 'active', sessionId: 's-1', mode: 'guest', ...overrides };
}

function item(overrides: Partial<SessionItem> = {}): SessionItem {
  return { id: 'i-1', material: 'glass', accepted: true, points: 5, outcome: 'accepted', returned: false, at: 1, ...overrides };
}

const set = (patch: Partial<KioskState>) => act(async () => kioskStore.setState(patch));

beforeEach(() => resetStore());
afterEach(() => vi.useRealTimers());

describe('availability in words', () => {
  const t = (language: 'id' | 'en') => (key: string, vars?: Record<string, string | number>) => translate(language, key, vars);

  it('names the refused material and the ones still taken, in both languages', () => {
    const glassFull = { pet: taken, can: taken, glass: full };
    expect(availabilitySentence(glassFull, t('id'))).toBe('Kaca sedang penuh — botol plastik dan kaleng tetap diterima');
    expect(availabilitySentence(glassFull, t('en'))).toBe('The glass bin is full — we still take plastic bottles and cans');
  });

  it('groups refused materials by reason, and says nothing when everything is taken', () => {
    const twoFull = { pet: taken, can: full, glass: full };
    expect(availabilitySentence(twoFull, t('id'))).toBe('Kaleng dan kaca sedang penuh — botol plastik tetap diterima');
    const mixed = { pet: taken, can: { accepting: false, reason: 'bin_fault' } as const, glass: full };
    expect(availabilitySentence(mixed, t('id'))).toBe('Kaleng sedang tidak dapat diterima karena gangguan dan kaca sedang penuh — botol plastik tetap diterima');
    expect(availabilitySentence({ pet: taken, can: taken, glass: taken }, t('id'))).toBeNull();
  });
});

describe('OutOfServiceScreen', () => {
  it('says why with translated reason codes, never the core\'s English detail, and what to do', async () => {
    await set({ status: status({ state: 'out_of_service', reasons: [{ code: 'link_lost', detail: 'no reply from /dev/ttyUSB0 since 2026-11-29T07:00:00Z' }, { code: 'made_up_code', detail: 'something English' }] }) });
    const screen = await mount(<OutOfServiceScreen />);
    const text = screen.container.textContent ?? '';
    expect(screen.text('out-of-service-reasons')).toContain(translate('id', 'reason.link_lost'));
    expect(screen.text('out-of-service-reasons')).toContain(translate('id', 'reason.unknown'));
    expect(text).not.toContain('ttyUSB0');
    expect(text).not.toContain('something English');
    expect(screen.text('out-of-service-todo')).toBe('Mohon maaf. Silakan gunakan mesin lain atau hubungi petugas.');
    expect(screen.byTestId('language-toggle')).not.toBeNull();
    screen.unmount();
  });
});

describe('ItemResult', () => {
  it('asks for a handed-back item to be taken while the intake sensor sees it, and for at least a few seconds', async () => {
    vi.useFakeTimers();
    await set({ session: session({ items: [item({ id: 'cat', material: 'reject', accepted: false, points: 0, outcome: 'not_a_container', returned: true })] }), itemPresent: null });
    const screen = await mount(<ItemResult />);
    expect(screen.byTestId('last-item')?.getAttribute('data-outcome')).toBe('not_a_container');
    expect(screen.text('last-item-text')).toMatch(/bukan botol atau kaleng/i);
    expect(screen.text('take-back')).toBe('Ambil kembali barang Anda');
    await set({ itemPresent: true });
    expect(screen.byTestId('take-back')).not.toBeNull();
    await set({ itemPresent: false });
    // Cleared at once (the return chute empties the intake): still said long enough to be read…
    expect(screen.byTestId('take-back')).not.toBeNull();
    await act(async () => vi.advanceTimersByTime(TAKE_BACK_MIN_MS + 1));
    // …then gone, unless the item still lies in the intake.
    expect(screen.byTestId('take-back')).toBeNull();
    await set({ language: 'en', itemPresent: true });
    expect(screen.text('take-back')).toBe('Please take your item back');
    screen.unmount();
  });

  it('shows an accepted item with its material and points, and a code without a string as a generic line', async () => {
    await set({ session: session({ items: [item()] }) });
    const screen = await mount(<ItemResult />);
    expect(screen.text('last-item-text')).toBe('Kaca');
    expect(screen.text('last-item-points')).toBe('+5');
    expect(screen.byTestId('take-back')).toBeNull();
    await set({ session: session({ items: [item({ accepted: false, points: 0, outcome: 'no_such_outcome' as SessionItem['outcome'] })] }) });
    expect(screen.text('last-item-text')).toBe(translate('id', 'result.unknown'));
    screen.unmount();
  });
});

describe('StillTherePrompt', () => {
  it('covers the screen once promptAt has passed, counts down, and Continue asks the core to extend', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(1_000_000);
    const core = fakeCore({ 'session.continue': () => session() });
    await set({ session: session({ deadline: 1_030_000, promptAt: 1_010_000 }) });
    const screen = await mount(<StillTherePrompt />);
    expect(screen.byTestId('still-there')).toBeNull();
    await act(async () => vi.advanceTimersByTime(10_250));
    expect(screen.text('still-there-seconds')).toBe('Sesi berakhir dalam 20 detik. Poin Anda tetap tersimpan.');
    await act(async () => vi.advanceTimersByTime(5_000));
    expect(screen.text('still-there-seconds')).toContain('15 detik');
    await tap(screen.byTestId('continue-button'));
    expect(core.callsOf('session.continue')).toEqual([{}]);
    await set({ session: session({ deadline: 1_105_000, promptAt: 1_085_000 }) });
    expect(screen.byTestId('still-there')).toBeNull();
    screen.unmount();
  });
});

describe('FinishedScreen', () => {
  it('shows a guest the claim code as QR and text, donates on request, then thanks instead of the code', async () => {
    const core = fakeCore({ 'session.donate': () => session({ phase: 'finished', donated: true }) });
    const items = [item(), item({ id: 'i-2', material: 'pet', points: 3 })];
    await set({ session: session({ phase: 'finished', items, totalPoints: 8, claimCode: 'K7KJAH9N', claimUrl: 'myrvm://claim?code=K7KJAH9N' }), server: serverState() });
    const screen = await mount(<FinishedScreen />);
    await settle();
    expect(screen.text('claim-code')).toBe('Kode: K7KJAH9N');
    // The QR itself needs a canvas (Chromium draws it in test/e2e/recycling.test.ts); here the panel and the code in text.
    expect(screen.byTestId('claim-panel')).not.toBeNull();
    expect(screen.text('tally-pet')).toBe('1 barang · 3 poin');
    expect(screen.text('tally-glass')).toBe('1 barang · 5 poin');
    expect(screen.byTestId('offline-note')).toBeNull();
    await tap(screen.byTestId('donate-button'));
    expect(core.callsOf('session.donate')).toEqual([{}]);
    await set({ session: session({ phase: 'finished', items, totalPoints: 8, claimCode: 'K7KJAH9N', claimUrl: 'myrvm://claim?code=K7KJAH9N', donated: true }) });
    expect(screen.text('claim-donated')).toBe('Terima kasih! Poin Anda sudah didonasikan.');
    expect(screen.byTestId('claim-code')).toBeNull();
    screen.unmount();
  });

  it('says the points are saved and will be sent while the server is unreachable', async () => {
    await set({ session: session({ phase: 'finished', mode: 'member', items: [item()], totalPoints: 5 }), server: serverState({ link: 'offline' }) });
    const screen = await mount(<FinishedScreen />);
    expect(screen.text('offline-note')).toMatch(/^Poin Anda tersimpan dan akan dikirim/);
    expect(screen.byTestId('claim-panel')).toBeNull(); // a member's points are already theirs
    screen.unmount();
  });
});

describe('LoginScreen', () => {
  it('says the app login is unavailable and points to the guest path when the server is unreachable', async () => {
    const core = fakeCore({ 'session.start': () => session() });
    await set({ session: session({ phase: 'waiting_login', mode: null, qr: null }), server: serverState({ link: 'offline' }) });
    const screen = await mount(<LoginScreen />);
    expect(screen.text('login-unavailable')).toContain('Masuk dengan aplikasi sedang tidak tersedia');
    expect(screen.byTestId('login-qr')).toBeNull();
    await tap(screen.byTestId('guest-button'));
    expect(core.callsOf('session.start')).toEqual([{ mode: 'guest' }]);
    screen.unmount();
  });

  it('says it is preparing the code rather than showing an empty square, then gives up after a few seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await set({ session: session({ phase: 'waiting_login', mode: null, qr: null }), server: serverState() });
    const screen = await mount(<LoginScreen />);
    expect(screen.text('login-preparing')).toBe('Menyiapkan kode QR…');
    await act(async () => vi.advanceTimersByTime(5_001));
    expect(screen.byTestId('login-unavailable')).not.toBeNull();
    screen.unmount();
  });
});
