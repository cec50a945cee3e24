/**
 * The PIN lockout on its own clocks: a fake device clock (monotonic within a run, uptime across restarts)
 * stands in for performance.now() and os.uptime(), so restarts and reboots are steps in the test.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceClock } from '../../src/maintenance/device-clock.js';
import { PinLockout } from '../../src/maintenance/pin-lockout.js';
import { onLog } from '../../src/log/logger.js';
import { makeTempDir } from '../helpers/outbox.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const policy = { maxFailures: 5, windowMs: HOUR };
const KEY = Buffer.alloc(32, 7);

/** performance.now() starts over with each process; os.uptime() only with each boot. */
class FakeDeviceClock implements DeviceClock {
  private mono = 1_234.5;
  private uptime = 5 * MIN;
  monotonicMs = () => this.mono;
  uptimeMs = () => this.uptime;
  advance(ms: number): void {
    this.mono += ms;
    this.uptime += ms;
  }
  /** A new process some time later, same boot. */
  restart(downMs = 0): void {
    this.uptime += downMs;
    this.mono = 17;
  }
  /** The machine was off for a while and booted; the kiosk starts `upMs` after boot. */
  reboot(upMs: number): void {
    this.uptime = upMs;
    this.mono = 3;
  }
}

let clock: FakeDeviceClock;
let file: string;
let marker: string;
let cleanup: () => Promise<void>;
let errors: Array<{ message: string; fields: unknown }>;
let stopLog: () => void;

const open = (key = KEY) => PinLockout.open({ file, marker, key, policy, clock });

beforeEach(async () => {
  clock = new FakeDeviceClock();
  const tmp = await makeTempDir('rvm-lockout-');
  await mkdir(path.join(tmp.dir, 'maintenance'));
  file = path.join(tmp.dir, 'maintenance', 'pin-lockout.json');
  marker = path.join(tmp.dir, '.pin-lockout-written');
  cleanup = tmp.cleanup;
  errors = [];
  stopLog = onLog((level, scope, message, fields) => {
    if (level === 'error' && scope === 'maintenance') errors.push({ message, fields });
  });
});
afterEach(async () => {
  stopLog();
  await cleanup();
});

async function failTimes(lockout: PinLockout, n: number, everyMs = MIN): Promise<void> {
  for (let k = 0; k < n; k += 1) {
    const gate = await lockout.beginAttempt();
    expect(gate.allowed).toBe(true);
    clock.advance(everyMs);
  }
}

async function lockedFiveTimes(): Promise<void> {
  await failTimes(await open(), 5);
}

describe('PinLockout', () => {
  it('locks after five failures until the first of them leaves the window', async () => {
    const lockout = await open();
    await failTimes(lockout, 4);
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
    await failTimes(lockout, 1);
    // failures at 0..4 min, now 5 min: the first leaves the window at 60 min
    expect(lockout.status()).toEqual({ lockedForMs: 55 * MIN, remainingAttempts: 0 });
    expect(await lockout.beginAttempt()).toEqual({ allowed: false, lockedForMs: 55 * MIN });
    clock.advance(55 * MIN);
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
  });

  it('stays locked across a restart, crediting only the time that passed within the boot', async () => {
    await lockedFiveTimes();
    clock.restart(10 * MIN); // 10 minutes between the last write and the new process
    const restarted = await open();
    const left = restarted.status().lockedForMs!;
    expect(left).toBeGreaterThan(45 * MIN); // never less than the real 55 − 10
    expect(left).toBeLessThanOrEqual(45 * MIN + 2_000); // rounded down to whole seconds of uptime
    expect((await restarted.beginAttempt()).allowed).toBe(false);
  });

  it('after a reboot credits only the uptime since boot: time switched off does not run the lock down', async () => {
    await lockedFiveTimes();
    clock.reboot(2 * MIN); // off for who knows how long (a day, or a wall clock moved by a day)
    const rebooted = await open();
    expect(rebooted.status().lockedForMs).toBeGreaterThan(53 * MIN);
    expect((await rebooted.beginAttempt()).allowed).toBe(false);
  });

  it('counts an attempt the process died during', async () => {
    const lockout = await open();
    await lockout.beginAttempt(); // ...and the power goes before the server answers
    clock.restart();
    expect((await open()).status().remainingAttempts).toBe(4);
  });

  it('takes back an attempt the server never judged, and starts over after a success', async () => {
    const lockout = await open();
    await failTimes(lockout, 2);
    const gate = await lockout.beginAttempt();
    if (!gate.allowed) throw new Error('should be allowed');
    await lockout.notJudged(gate.token);
    expect(lockout.status().remainingAttempts).toBe(3);
    await lockout.succeeded();
    clock.restart();
    expect((await open()).status()).toEqual({ lockedForMs: null, remainingAttempts: 5 });
  });

  it("honours the server's retry_after, durably", async () => {
    const lockout = await open();
    await lockout.lockedByServer(1800);
    clock.restart();
    expect((await open()).status()).toEqual({ lockedForMs: 1_800_000, remainingAttempts: 0 });
  });

  it('starts open on a fresh machine and keeps its state signed', async () => {
    const lockout = await open();
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 5 });
    await lockout.beginAttempt();
    const stored = JSON.parse(await readFile(file, 'utf8')) as { v: number; body: string; mac: string };
    expect(stored).toMatchObject({ v: 2, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(stored.body)).toMatchObject({ failuresLeftMs: [HOUR], lockLeftMs: 0 });
    expect(errors).toEqual([]);
  });

  describe('tampering locks, never resets', () => {
    const lockedOneWindow = async () => {
      clock.restart();
      const lockout = await open();
      expect(lockout.status()).toEqual({ lockedForMs: HOUR, remainingAttempts: 0 });
      expect(await lockout.beginAttempt()).toMatchObject({ allowed: false });
      return lockout;
    };

    it('a deleted file (the kiosk wrote one before) locks for one window, logged once', async () => {
      await failTimes(await open(), 2);
      await rm(file);
      await lockedOneWindow();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ message: expect.stringContaining('locking the keypad for one window'), fields: { reason: expect.stringContaining('missing') } });
      clock.restart(); // the lock is now on disk, signed: no second alarm, still locked
      expect((await open()).status().lockedForMs).toBeGreaterThan(HOUR - 2_000);
      expect(errors).toHaveLength(1);
    });

    it('an emptied file locks', async () => {
      await failTimes(await open(), 2);
      await writeFile(file, '');
      await lockedOneWindow();
      expect(errors[0]?.fields).toMatchObject({ reason: 'the file is empty' });
    });

    it('a count edited without the key locks', async () => {
      await failTimes(await open(), 4);
      const stored = JSON.parse(await readFile(file, 'utf8')) as { body: string };
      await writeFile(file, JSON.stringify({ ...stored, body: JSON.stringify({ ...JSON.parse(stored.body), failuresLeftMs: [] }) }));
      await lockedOneWindow();
      expect(errors[0]?.fields).toMatchObject({ reason: expect.stringContaining('MAC does not match') });
    });

    it('a state signed with another key (key file replaced, credentials changed) locks', async () => {
      await failTimes(await open(), 1);
      clock.restart();
      const lockout = await open(Buffer.alloc(32, 9));
      expect(lockout.status().lockedForMs).toBe(HOUR);
    });

    it('a damaged file locks', async () => {
      await writeFile(file, '{"v":2,"body":"{\\"failuresLeftMs\\":[1,2');
      await lockedOneWindow();
    });

    it('an unsigned file of the earlier form locks once the signed form was ever written', async () => {
      await open();
      await writeFile(file, JSON.stringify({ v: 1, failures: [], lockedUntil: null }));
      await lockedOneWindow();
    });

    it('a lost marker alone changes nothing while the signed file is intact', async () => {
      await failTimes(await open(), 2);
      await rm(marker);
      clock.restart();
      expect((await open()).status()).toEqual({ lockedForMs: null, remainingAttempts: 3 });
      expect(errors).toEqual([]);
    });
  });

  it('adopts an earlier unsigned file on the first start of this version', async () => {
    const wall = Date.now();
    await writeFile(file, JSON.stringify({ v: 1, failures: [wall - 10 * MIN, wall - 2 * HOUR], lockedUntil: null }));
    const lockout = await open();
    expect(lockout.status().remainingAttempts).toBe(4);
    expect(errors).toEqual([]);
  });
});
