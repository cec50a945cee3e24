/**
 * The technician's way in, on fake timers: the hidden corner opens the PIN pad only after a 3 s press, the pad
 * gives the screen back after 30 s without a key press, and the app shows the corner only where it belongs.
 */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { LONG_PRESS_MS, TechnicianCorner } from '../../renderer/src/components/TechnicianCorner.js';
import { PIN_IDLE_MS, PinScreen } from '../../renderer/src/screens/PinScreen.js';
import { kioskStore } from '../../renderer/src/store/store.js';
import { fakeCore, mount, resetStore, tap, type Mounted } from './maintenance/harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z');
const materials = { pet: { accepting: true, reason: null }, can: { accepting: true, reason: null }, glass: { accepting: true, reason: null } } as const;

const press = (el: HTMLElement | null) => act(async () => void el?.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, pointerId: 1 })));
const release = (el: HTMLElement | null) => act(async () => void el?.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, pointerId: 1 })));
/** A finger sliding off the corner (React derives pointerleave from pointerout). */
const slideOff = (el: HTMLElement | null) => act(async () => void el?.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, pointerId: 1, relatedTarget: document.body })));
const wait = (ms: number) => act(async () => void vi.advanceTimersByTime(ms));

let view: Mounted | null = null;

beforeEach(() => {
  resetStore();
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  view?.unmount();
  view = null;
  vi.useRealTimers();
});

describe('technician corner', () => {
  it('opens after a 3 s press, showing a ring while held', async () => {
    const onOpen = vi.fn();
    view = await mount(<TechnicianCorner onOpen={onOpen} />);
    const corner = view.byTestId('technician-corner');
    expect(view.byTestId('technician-ring')).toBeNull();
    await press(corner);
    expect(view.byTestId('technician-ring')).not.toBeNull();
    expect(corner?.dataset.holding).toBe('true');
    await wait(LONG_PRESS_MS - 1);
    expect(onOpen).not.toHaveBeenCalled();
    await wait(1);
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(view.byTestId('technician-ring')).toBeNull();
    await release(corner);
    await wait(10 * LONG_PRESS_MS);
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('does nothing for a tap, a press let go early, or a finger that slides off', async () => {
    const onOpen = vi.fn();
    view = await mount(<TechnicianCorner onOpen={onOpen} />);
    const corner = view.byTestId('technician-corner');
    await tap(corner);
    await release(corner);
    await press(corner);
    await wait(LONG_PRESS_MS - 100);
    await release(corner);
    expect(view.byTestId('technician-ring')).toBeNull();
    await press(corner);
    await wait(LONG_PRESS_MS - 100);
    await slideOff(corner);
    await wait(10 * LONG_PRESS_MS);
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('counts from the first finger: a second one does not start the 3 s over', async () => {
    const onOpen = vi.fn();
    view = await mount(<TechnicianCorner onOpen={onOpen} />);
    const corner = view.byTestId('technician-corner');
    await press(corner);
    await wait(2_000);
    await press(corner);
    await wait(1_000);
    expect(onOpen).toHaveBeenCalledTimes(1);
  });
});

describe('PIN pad idle', () => {
  it('gives the screen back 30 s after the last key press', async () => {
    fakeCore();
    const onClose = vi.fn();
    view = await mount(<PinScreen onClose={onClose} />);
    await wait(20_000);
    await tap(view.byTestId('pin-4')); // a key press starts the 30 s over
    expect(view.text('pin-dots')).toBe('●○○○○○');
    await wait(PIN_IDLE_MS - 1);
    expect(onClose).not.toHaveBeenCalled();
    await wait(1);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('also leaves a locked pad after 30 s, so the machine is not stuck on it', async () => {
    fakeCore();
    kioskStore.getState().setMaintenance({ active: false, technicianName: null, lockedUntil: NOW + 15 * 60_000, remainingAttempts: 0, autoExitAt: null, permissions: null });
    const onClose = vi.fn();
    view = await mount(<PinScreen onClose={onClose} />);
    expect(view.byTestId('pin-screen')?.dataset.locked).toBe('true');
    await wait(PIN_IDLE_MS);
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('app routing for the technician', () => {
  const idleSession = () => kioskStore.getState().session;

  it('opens the PIN pad from the corner of the attract screen and returns to attract when left alone', async () => {
    fakeCore();
    kioskStore.getState().setStatus({ state: 'ready', reasons: [], notices: [], materials, demoMode: false, machineName: 'RVM' });
    view = await mount(<App />);
    expect(view.byTestId('attract-screen')).not.toBeNull();
    await press(view.byTestId('technician-corner'));
    await wait(LONG_PRESS_MS);
    expect(view.byTestId('pin-screen')).not.toBeNull();
    expect(view.byTestId('technician-corner')).toBeNull(); // not over the pad's own keys
    await wait(PIN_IDLE_MS);
    expect(view.byTestId('pin-screen')).toBeNull();
    expect(view.byTestId('attract-screen')).not.toBeNull();
  });

  it('keeps the corner on the out-of-service screen, and off a recycling session', async () => {
    fakeCore();
    kioskStore.getState().setStatus({ state: 'out_of_service', reasons: [{ code: 'no_material_accepted' }], notices: [], materials, demoMode: false, machineName: 'RVM' });
    view = await mount(<App />);
    expect(view.byTestId('out-of-service-screen')).not.toBeNull();
    expect(view.byTestId('technician-corner')).not.toBeNull();
    await press(view.byTestId('technician-corner'));
    await wait(LONG_PRESS_MS);
    expect(view.byTestId('pin-screen')).not.toBeNull();
    await wait(PIN_IDLE_MS);
    expect(view.byTestId('out-of-service-screen')).not.toBeNull();
    await act(async () => kioskStore.getState().setSession({ ...idleSession(), phase: 'active' }));
    expect(view.byTestId('technician-corner')).toBeNull();
  });
});
