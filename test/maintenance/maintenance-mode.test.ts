import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceClock } from '../../src/maintenance/device-clock.js';
import { MaintenanceMode, type Caller, type MaintenanceStatus } from '../../src/maintenance/maintenance-mode.js';
import { PinLockout } from '../../src/maintenance/pin-lockout.js';
import type { PinResult } from '../../src/maintenance/pin-verifier.js';
import { makeTempDir } from '../helpers/outbox.js';

const GOOD = '246810';
/** The default schedule: 3 free wrong PINs, then 30 s doubling up to 15 min, forgotten after 2 quiet hours. */
const policy = { maxFailures: 3, firstDelayMs: 30_000, maxDelayMs: 900_000, windowMs: 7_200_000 };
/** The screen's clock (server-synced in the kiosk): only for the epoch times in the state. */
let t = 0;
const now = () => t;
/** The device's own clock, which the lockout runs on. */
let device = 0;
const deviceClock: DeviceClock = { monotonicMs: () => device, uptimeMs: () => device };
const screenA: Caller = { connectionId: 'ws:a', trusted: false };
const screenB: Caller = { connectionId: 'ws:b', trusted: false };
let dir: string;
let file: string;
let cleanup: () => Promise<void>;
let modes: MaintenanceMode[] = [];

/** A stand-in for the server's PIN endpoint, counting what it was asked. */
function fakeServer(answer?: (pin: string) => PinResult) {
  const asked: string[] = [];
  const verify = async (pin: string): Promise<PinResult> => {
    asked.push(pin);
    return answer ? answer(pin) : pin === GOOD ? { kind: 'ok', technicianName: 'Budi' } : { kind: 'wrong', remainingAttempts: 4 };
  };
  return { verify, asked };
}

async function makeMode(verify: (pin: string) => Promise<PinResult>, inactivityMs = 600_000) {
  const states: MaintenanceStatus[] = [];
  const maintenance: boolean[] = [];
  const lockout = await PinLockout.open({ file, marker: path.join(dir, '.marker'), key: Buffer.alloc(32, 1), policy, clock: deviceClock });
  const mode = new MaintenanceMode(lockout, verify, inactivityMs, { onChange: (s) => states.push(s), setMaintenance: (on) => maintenance.push(on), now });
  modes.push(mode);
  return { mode, states, maintenance };
}

beforeEach(async () => {
  t = Date.UTC(2026, 0, 31, 3);
  device = 60_000;
  const tmp = await makeTempDir('rvm-maint-');
  dir = tmp.dir;
  file = path.join(tmp.dir, 'pin-lockout.json');
  cleanup = tmp.cleanup;
});
afterEach(async () => {
  for (const mode of modes.splice(0)) mode.dispose();
  vi.useRealTimers();
  await cleanup();
});

describe('MaintenanceMode', () => {
  it('enters with the right PIN and leaves on exit, telling the machine status both times', async () => {
    const { mode, states, maintenance } = await makeMode(fakeServer().verify);
    expect(await mode.enter(GOOD)).toEqual({ ok: true, technicianName: 'Budi' });
    expect(states.at(-1)).toMatchObject({ active: true, technicianName: 'Budi', remainingAttempts: null });
    expect(mode.exit()).toMatchObject({ active: false, technicianName: null, remainingAttempts: 3 });
    expect(maintenance).toEqual([true, false]);
  });

  it('makes the fourth attempt wait 30 s after three wrong PINs, without asking the server, even after a restart', async () => {
    const server = fakeServer();
    const { mode } = await makeMode(server.verify);
    const replies = [];
    for (let k = 0; k < 3; k += 1) replies.push(await mode.enter('000000'));
    expect(replies.map((r) => r.remainingAttempts)).toEqual([2, 1, 0]);
    expect(replies[2]).toMatchObject({ error: 'wrong_pin', lockedUntil: t + 30_000 });
    expect(await mode.enter(GOOD)).toMatchObject({ ok: false, error: 'locked', lockedUntil: t + 30_000 });
    expect(server.asked).toHaveLength(3);

    mode.dispose();
    const restarted = await makeMode(server.verify);
    expect(restarted.mode.state()).toMatchObject({ active: false, lockedUntil: t + 30_000, remainingAttempts: 0 });
    expect(await restarted.mode.enter(GOOD)).toMatchObject({ ok: false, error: 'locked' });
    expect(server.asked).toHaveLength(3);
    device += 30_000 + 2_000; // the device's 30 s (plus uptime's whole-second rounding), not the screen clock's
    expect(await restarted.mode.enter('000000')).toMatchObject({ error: 'wrong_pin', remainingAttempts: 0, lockedUntil: t + 60_000 });
    device += 60_000;
    expect(await restarted.mode.enter(GOOD)).toMatchObject({ ok: true });
  });

  it('tells the screen when a wait is over, on its timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { mode, states } = await makeMode(fakeServer().verify);
    for (let k = 0; k < 3; k += 1) await mode.enter('000000');
    expect(states.at(-1)).toMatchObject({ lockedUntil: t + 30_000, remainingAttempts: 0 });
    const published = states.length;
    device += 29_000;
    vi.advanceTimersByTime(29_000);
    expect(states).toHaveLength(published);
    device += 1_000;
    vi.advanceTimersByTime(1_010);
    expect(states.at(-1)).toMatchObject({ lockedUntil: null, remainingAttempts: 1 });
  });

  it('serialises simultaneous attempts so none slips past the counter', async () => {
    const server = fakeServer();
    const { mode } = await makeMode(server.verify);
    const replies = await Promise.all(Array.from({ length: 8 }, () => mode.enter('111111')));
    expect(server.asked).toHaveLength(3);
    expect(replies.filter((r) => r.error === 'locked')).toHaveLength(5);
  });

  it("adopts the server's 429 lock, durably", async () => {
    const server = fakeServer(() => ({ kind: 'locked', retryAfterSec: 1234 }));
    const { mode } = await makeMode(server.verify);
    expect(await mode.enter(GOOD)).toEqual({ ok: false, error: 'locked', lockedUntil: t + 1_234_000, remainingAttempts: 0 });
    mode.dispose();
    expect((await makeMode(server.verify)).mode.state().lockedUntil).toBe(t + 1_234_000);
  });

  it('runs the lockout on the device clock: a screen (server) clock jumping 61 minutes per guess lets no extra guess through', async () => {
    const server = fakeServer();
    const { mode } = await makeMode(async (pin) => {
      t += 61 * 60_000; // a proxy moving the server's time forward between guesses
      return server.verify(pin);
    });
    const replies = [];
    for (let k = 0; k < 20; k += 1) replies.push(await mode.enter('000000'));
    expect(server.asked).toHaveLength(3);
    expect(replies.slice(3).every((r) => r.error === 'locked')).toBe(true);
    // the countdown the screen shows is the wait on its own clock, wherever that clock went
    expect(mode.state().lockedUntil).toBe(t + 30_000);
  });

  it('uses the lower of the local and the server count of attempts left', async () => {
    const { mode } = await makeMode(fakeServer(() => ({ kind: 'wrong', remainingAttempts: 1 })).verify);
    expect(await mode.enter('123456')).toMatchObject({ error: 'wrong_pin', remainingAttempts: 1 });
  });

  it('does not count a PIN the server could not check', async () => {
    const { mode } = await makeMode(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    for (let k = 0; k < 7; k += 1) expect(await mode.enter(GOOD)).toMatchObject({ ok: false, error: 'unavailable', message: 'connect ECONNREFUSED' });
    expect(mode.state()).toMatchObject({ lockedUntil: null, remainingAttempts: 3 });
  });

  it('leaves by itself after inactivity; activity postpones it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { mode, maintenance } = await makeMode(fakeServer().verify, 600_000);
    await mode.enter(GOOD);
    expect(mode.state().autoExitAt).toBe(t + 600_000);
    vi.advanceTimersByTime(500_000);
    t += 500_000;
    mode.touch();
    vi.advanceTimersByTime(500_000);
    expect(mode.state().active).toBe(true);
    vi.advanceTimersByTime(100_001);
    expect(mode.state().active).toBe(false);
    expect(maintenance).toEqual([true, false]);
  });

  it("leaves when the server's technician session expires, if that comes first", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { mode } = await makeMode(fakeServer(() => ({ kind: 'ok', technicianName: 'Sari', expiresAt: t + 60_000 })).verify);
    await mode.enter(GOOD);
    expect(mode.state().autoExitAt).toBe(t + 60_000);
    vi.advanceTimersByTime(60_001);
    expect(mode.state().active).toBe(false);
  });

  describe('technician rights belong to the connection that entered the PIN', () => {
    it('allows only that connection; trusted code that opens the mode gives no UI the rights', async () => {
      const { mode } = await makeMode(fakeServer().verify);
      expect(mode.allows('ws:a')).toBe(false);
      expect(await mode.enter(GOOD, screenA)).toMatchObject({ ok: true });
      expect([mode.allows('ws:a'), mode.allows('ws:b'), mode.allows(null)]).toEqual([true, false, false]);
      mode.exit();
      expect(await mode.enter(GOOD)).toMatchObject({ ok: true });
      expect([mode.allows('ws:a'), mode.allows(null)]).toEqual([false, false]);
    });

    it('makes another connection go through the lockout and the server; a right PIN moves the rights', async () => {
      const server = fakeServer();
      const { mode } = await makeMode(server.verify);
      await mode.enter(GOOD, screenA);
      expect(await mode.enter('000000', screenB)).toMatchObject({ ok: false, error: 'wrong_pin' });
      expect(mode.state().active).toBe(true);
      expect(mode.allows('ws:b')).toBe(false);
      expect(await mode.enter(GOOD, screenA)).toEqual({ ok: true, technicianName: 'Budi' }); // already in: not asked again
      expect(server.asked).toEqual([GOOD, '000000']);
      expect(await mode.enter(GOOD, screenB)).toMatchObject({ ok: true });
      expect([mode.allows('ws:a'), mode.allows('ws:b')]).toEqual([false, true]);
    });

    it('lets only that connection (or trusted code) exit or postpone the mode', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { mode, maintenance } = await makeMode(fakeServer().verify, 600_000);
      await mode.enter(GOOD, screenA);
      expect(mode.exit('technician', screenB)).toMatchObject({ active: true });
      t += 500_000;
      vi.advanceTimersByTime(500_000);
      mode.touch(screenB); // does not keep the machine out of service
      vi.advanceTimersByTime(100_001);
      expect(mode.state().active).toBe(false);
      await mode.enter(GOOD, screenA);
      expect(mode.exit('technician', screenA)).toMatchObject({ active: false });
      expect(maintenance).toEqual([true, false, true, false]);
    });

    it('ends when that connection closes, not when another one does', async () => {
      const { mode, maintenance } = await makeMode(fakeServer().verify);
      await mode.enter(GOOD, screenA);
      mode.connectionClosed('ws:b');
      expect(mode.state().active).toBe(true);
      mode.connectionClosed('ws:a');
      expect(mode.state()).toMatchObject({ active: false, technicianName: null });
      expect(maintenance).toEqual([true, false]);
    });
  });
});
