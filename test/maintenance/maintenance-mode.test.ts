import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MaintenanceMode, type MaintenanceStatus } from '../../src/maintenance/maintenance-mode.js';
import { PinLockout } from '../../src/maintenance/pin-lockout.js';
import type { PinResult } from '../../src/maintenance/pin-verifier.js';
import { makeTempDir } from '../helpers/outbox.js';

const GOOD = '246810';
const policy = { maxFailures: 5, windowMs: 3_600_000 };
let t = 0;
const now = () => t;
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
  const lockout = await PinLockout.open(file, policy, now);
  const mode = new MaintenanceMode(lockout, verify, inactivityMs, { onChange: (s) => states.push(s), setMaintenance: (on) => maintenance.push(on), now });
  modes.push(mode);
  return { mode, states, maintenance };
}

beforeEach(async () => {
  t = Date.UTC(2026, 0, 31, 3);
  const tmp = await makeTempDir('rvm-maint-');
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
    expect(mode.exit()).toMatchObject({ active: false, technicianName: null, remainingAttempts: 5 });
    expect(maintenance).toEqual([true, false]);
  });

  it('locks the keypad after five wrong PINs without asking the server again, even after a restart', async () => {
    const server = fakeServer();
    const { mode } = await makeMode(server.verify);
    const replies = [];
    for (let k = 0; k < 5; k += 1) replies.push(await mode.enter('000000'));
    expect(replies.map((r) => r.remainingAttempts)).toEqual([4, 3, 2, 1, 0]);
    expect(replies[4]).toMatchObject({ error: 'wrong_pin', lockedUntil: t + 3_600_000 });
    expect(await mode.enter(GOOD)).toMatchObject({ ok: false, error: 'locked' });
    expect(server.asked).toHaveLength(5);

    mode.dispose();
    const restarted = await makeMode(server.verify);
    expect(restarted.mode.state()).toMatchObject({ active: false, lockedUntil: t + 3_600_000, remainingAttempts: 0 });
    expect(await restarted.mode.enter(GOOD)).toMatchObject({ ok: false, error: 'locked' });
    expect(server.asked).toHaveLength(5);
    t += 3_600_000;
    expect(await restarted.mode.enter(GOOD)).toMatchObject({ ok: true });
  });

  it('serialises simultaneous attempts so none slips past the counter', async () => {
    const server = fakeServer();
    const { mode } = await makeMode(server.verify);
    const replies = await Promise.all(Array.from({ length: 8 }, () => mode.enter('111111')));
    expect(server.asked).toHaveLength(5);
    expect(replies.filter((r) => r.error === 'locked')).toHaveLength(3);
  });

  it("adopts the server's 429 lock, durably", async () => {
    const server = fakeServer(() => ({ kind: 'locked', retryAfterSec: 1234 }));
    const { mode } = await makeMode(server.verify);
    expect(await mode.enter(GOOD)).toEqual({ ok: false, error: 'locked', lockedUntil: t + 1_234_000, remainingAttempts: 0 });
    mode.dispose();
    expect((await makeMode(server.verify)).mode.state().lockedUntil).toBe(t + 1_234_000);
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
    expect(mode.state()).toMatchObject({ lockedUntil: null, remainingAttempts: 5 });
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
});
