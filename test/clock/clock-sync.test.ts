import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClockSync, type ClockStatePayload } from '../../src/clock/clock-sync.js';
import { clockConfig } from '../../src/clock/config.js';

const T0 = Date.UTC(2026, 0, 31, 3, 0, 0, 123);
let wall = T0;
let mono = 0;
let states: ClockStatePayload[] = [];
let clock: ClockSync;

/** Advance device time (wall and monotonic together) and the fake timers, in small steps. */
function advance(ms: number, onStep?: () => void): void {
  for (let done = 0; done < ms; done += 10) {
    wall += 10;
    mono += 10;
    vi.advanceTimersByTime(10);
    onStep?.();
  }
}

const sample = (offsetMs: number, rtt = 20) => ({ serverTime: wall + rtt / 2 + offsetMs, sentAt: wall, receivedAt: wall + rtt, resolutionMs: 0 });
const latest = () => states.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  wall = T0;
  mono = 0;
  states = [];
  clock = new ClockSync(clockConfig.parse({}), 'Asia/Jakarta', { onState: (s) => states.push(s), wallNow: () => wall, monoNow: () => mono });
  clock.start();
});
afterEach(() => {
  clock.stop();
  vi.useRealTimers();
});

describe('ClockSync', () => {
  it('starts on device time, unsynced, in the configured zone', () => {
    expect(latest()).toEqual({ offsetMs: 0, timezone: 'Asia/Jakarta', abbreviation: 'WIB', synced: false, source: 'device', driftAlarm: false, sync: { zoneSource: 'config', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null } });
  });

  it('applies the first server sample and marks the clock synced', () => {
    expect(clock.addSample(sample(-4000))).toBe(true);
    expect(latest()).toMatchObject({ offsetMs: -4000, synced: true, source: 'server', driftAlarm: false });
    expect(Math.round(clock.serverNow() - wall)).toBe(-4000);
  });

  it('never shows a whole second twice or out of order while correcting backwards', () => {
    clock.addSample(sample(5000));
    advance(30_000);
    clock.addSample(sample(0)); // 5 s back: held as suspect
    advance(10_000);
    clock.addSample(sample(0)); // confirmed: the target is now 0
    let shown = -Infinity;
    let backwards = 0;
    advance(60_000, () => {
      const second = Math.floor((wall + latest().offsetMs) / 1000); // what a renderer would print
      if (second < shown) backwards += 1;
      shown = Math.max(shown, second);
    });
    expect(backwards).toBe(0);
    expect(Math.abs(latest().offsetMs)).toBeLessThanOrEqual(100);
    expect(states.filter((s) => s.offsetMs < 5000 && s.offsetMs > 100).length).toBeGreaterThan(10); // it slewed
  });

  it('keeps the display continuous when the device clock is set back', () => {
    clock.addSample(sample(200));
    const before = wall + latest().offsetMs;
    wall -= 3_600_000; // an installer sets the date an hour back; the monotonic clock does not move
    advance(2000);
    const after = wall + latest().offsetMs;
    expect(after - before).toBeGreaterThanOrEqual(1900);
    expect(after - before).toBeLessThanOrEqual(2100);
    expect(Math.round(clock.serverNow() - wall)).toBe(3_600_200);
  });

  it('raises the drift alarm when device and server differ by more than the threshold', () => {
    clock.addSample(sample(45_000));
    expect(latest()).toMatchObject({ driftAlarm: true, synced: true });
  });

  it('reports itself unsynced once samples are stale, keeping the last offset', () => {
    const stale = new ClockSync(clockConfig.parse({ staleAfterMs: 5_000 }), 'Asia/Jakarta', { onState: (s) => states.push(s), wallNow: () => wall, monoNow: () => mono });
    stale.start();
    stale.addSample(sample(3000));
    advance(6_000);
    expect(stale.state()).toMatchObject({ synced: false, source: 'device', offsetMs: 3000 });
    stale.stop();
  });

  it('picks the time zone by trust: local override, handshake, then kiosk config', () => {
    expect(clock.setTimezone('Asia/Jakarta', 'kiosk_config')).toBe(true);
    expect(clock.setTimezone('Asia/Makassar', 'handshake')).toBe(true);
    expect(latest()).toMatchObject({ timezone: 'Asia/Makassar', abbreviation: 'WITA' });
    clock.setTimezone('Asia/Jakarta', 'kiosk_config'); // the real server's constant answer must not win
    expect(latest().timezone).toBe('Asia/Makassar');
    clock.setTimezone('Asia/Jayapura', 'local');
    expect(latest()).toMatchObject({ timezone: 'Asia/Jayapura', abbreviation: 'WIT' });
    expect(clock.setTimezone('Mars/Olympus', 'local')).toBe(false);
    expect(latest().timezone).toBe('Asia/Jayapura');
  });

  it('gives a display time that never decreases between readings', () => {
    clock.addSample(sample(0));
    const first = clock.displayNow();
    wall -= 500; // a small device step the watch tolerates
    expect(clock.displayNow()).toBeGreaterThanOrEqual(first);
  });
});

describe('time-zone sync figures', () => {
  it('counts real zone changes with their time and says where the zone came from', () => {
    let now = 1_000_000;
    const states: ClockStatePayload[] = [];
    const clock = new ClockSync(clockConfig.parse({}), 'Asia/Jakarta', { onState: (s) => states.push(s), wallNow: () => now, monoNow: () => now });
    clock.start();
    expect(clock.state().sync).toEqual({ zoneSource: 'config', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null });
    clock.setTimezone('Asia/Jakarta', 'handshake'); // same zone: a source, not a change
    expect(clock.state().sync).toMatchObject({ zoneSource: 'handshake', zoneChanges: 0 });
    now += 5_000;
    clock.setTimezone('Asia/Makassar', 'timezone_sync');
    expect(clock.state().sync).toMatchObject({ zoneSource: 'timezone_sync', zoneChanges: 1, lastZoneChangeAt: 1_005_000 });
    expect(states.at(-1)?.abbreviation).toBe('WITA');
    clock.stop();
  });
});
