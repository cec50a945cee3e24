import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinLockout } from '../../src/maintenance/pin-lockout.js';
import { makeTempDir } from '../helpers/outbox.js';

const policy = { maxFailures: 5, windowMs: 3_600_000 };
const T0 = Date.UTC(2026, 0, 31, 3, 0, 0);
let t = T0;
const now = () => t;
let file: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  t = T0;
  const tmp = await makeTempDir('rvm-lockout-');
  file = path.join(tmp.dir, 'pin-lockout.json');
  cleanup = tmp.cleanup;
});
afterEach(async () => cleanup());

async function failTimes(lockout: PinLockout, n: number, everyMs = 60_000): Promise<void> {
  for (let k = 0; k < n; k += 1) {
    const gate = await lockout.beginAttempt();
    expect(gate.allowed).toBe(true);
    t += everyMs;
  }
}

describe('PinLockout', () => {
  it('locks after five failures until the first of them leaves the window', async () => {
    const lockout = await PinLockout.open(file, policy, now);
    await failTimes(lockout, 4);
    expect(lockout.status()).toEqual({ lockedUntil: null, remainingAttempts: 1 });
    await failTimes(lockout, 1);
    expect(lockout.status()).toEqual({ lockedUntil: T0 + 3_600_000, remainingAttempts: 0 });
    expect(await lockout.beginAttempt()).toEqual({ allowed: false, lockedUntil: T0 + 3_600_000 });
    t = T0 + 3_600_000;
    expect(lockout.status()).toEqual({ lockedUntil: null, remainingAttempts: 1 });
  });

  it('stays locked across a restart (a new instance over the same file)', async () => {
    await failTimes(await PinLockout.open(file, policy, now), 5);
    const restarted = await PinLockout.open(file, policy, now);
    expect(restarted.status().lockedUntil).toBe(T0 + 3_600_000);
    expect((await restarted.beginAttempt()).allowed).toBe(false);
  });

  it('counts an attempt the process died during', async () => {
    const lockout = await PinLockout.open(file, policy, now);
    await lockout.beginAttempt(); // ...and the power goes before the server answers
    expect((await PinLockout.open(file, policy, now)).status().remainingAttempts).toBe(4);
  });

  it('takes back an attempt the server never judged, and starts over after a success', async () => {
    const lockout = await PinLockout.open(file, policy, now);
    await failTimes(lockout, 2);
    const gate = await lockout.beginAttempt();
    if (!gate.allowed) throw new Error('should be allowed');
    await lockout.notJudged(gate.token);
    expect(lockout.status().remainingAttempts).toBe(3);
    await lockout.succeeded();
    expect((await PinLockout.open(file, policy, now)).status()).toEqual({ lockedUntil: null, remainingAttempts: 5 });
  });

  it("honours the server's retry_after, durably", async () => {
    const lockout = await PinLockout.open(file, policy, now);
    await lockout.lockedByServer(1800);
    expect((await PinLockout.open(file, policy, now)).status()).toEqual({ lockedUntil: T0 + 1_800_000, remainingAttempts: 0 });
  });

  it('treats a damaged lockout file as locked for one window, not as a reset', async () => {
    await writeFile(file, '{"v":1,"failures":[1,2');
    expect((await PinLockout.open(file, policy, now)).status().lockedUntil).toBe(T0 + 3_600_000);
  });
});
