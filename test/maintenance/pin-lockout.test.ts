/**
 * The PIN lockout on its own clocks: a fake device clock (monotonic within a run, uptime across restarts)
 * stands in for performance.now() and os.uptime(), so waits, restarts and reboots are steps in the test.
 * The schedule under test is the default one: 3 free wrong PINs, then 30 s doubling up to 15 min, the run
 * forgotten after 2 h without a wrong PIN.
 */
import { createHmac } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceClock } from '../../src/maintenance/device-clock.js';
import { maxGuessesPerDay } from '../../src/maintenance/lockout-schedule.js';
import { PinLockout } from '../../src/maintenance/pin-lockout.js';
import { onLog } from '../../src/log/logger.js';
import { makeTempDir } from '../helpers/outbox.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const SEC = 1_000;
const policy = { maxFailures: 3, firstDelayMs: 30 * SEC, maxDelayMs: 15 * MIN, windowMs: 2 * HOUR };
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

/** `n` wrong PINs, each as soon as the keypad allows it (the clock moves on by the wait, if any). */
async function failAsSoonAsAllowed(lockout: PinLockout, n: number): Promise<void> {
  for (let k = 0; k < n; k += 1) {
    const wait = lockout.status().lockedForMs;
    if (wait !== null) clock.advance(wait);
    expect((await lockout.beginAttempt()).allowed).toBe(true);
  }
}

/** A run long enough that the wait is the cap: 3 free, then 30 s, 1, 2, 4, 8 min, then 15 min. */
async function atTheCap(): Promise<PinLockout> {
  const lockout = await open();
  await failAsSoonAsAllowed(lockout, 8);
  expect(lockout.status()).toEqual({ lockedForMs: 15 * MIN, remainingAttempts: 0 });
  return lockout;
}

describe('PinLockout schedule', () => {
  it('lets three wrong PINs through at once, then waits 30 s, doubling up to 15 min', async () => {
    const lockout = await open();
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 3 });
    await failAsSoonAsAllowed(lockout, 2);
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
    const waits: number[] = [];
    for (let k = 0; k < 8; k += 1) {
      expect((await lockout.beginAttempt()).allowed).toBe(true);
      const wait = lockout.status().lockedForMs!;
      waits.push(wait);
      expect(await lockout.beginAttempt()).toEqual({ allowed: false, lockedForMs: wait }); // refused, not counted
      clock.advance(wait - 1);
      expect(lockout.status().lockedForMs).toBe(1);
      clock.advance(1);
      expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
    }
    expect(waits).toEqual([30 * SEC, MIN, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN, 15 * MIN, 15 * MIN]);
  });

  it('never makes the technician wait longer than the cap, however many wrong PINs a passer-by typed', async () => {
    const lockout = await open();
    await failAsSoonAsAllowed(lockout, 40);
    expect(lockout.status().lockedForMs).toBe(15 * MIN);
  });

  it('forgets the run after two quiet hours, not before', async () => {
    const lockout = await atTheCap();
    clock.advance(2 * HOUR - 1);
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
    clock.advance(1);
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 3 });
  });

  it('starts over after a correct PIN', async () => {
    const lockout = await atTheCap();
    clock.advance(15 * MIN);
    await lockout.beginAttempt();
    await lockout.succeeded();
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 3 });
  });

  it('holds brute force to at most 96 guesses a day, about 14 years on average for a 6-digit PIN', async () => {
    const lockout = await open();
    let guesses = 0;
    const start = clock.monotonicMs();
    const countUntil = async (ms: number) => {
      for (;;) {
        const wait = lockout.status().lockedForMs ?? 0;
        if (clock.monotonicMs() + wait - start >= ms) return guesses;
        clock.advance(wait);
        await lockout.beginAttempt();
        guesses += 1;
      }
    };
    // Guessing as fast as allowed: 8 guesses in the first 15.5 minutes, then one per 15 minutes.
    expect(await countUntil(24 * HOUR)).toBe(102);
    expect(await countUntil(3 * 24 * HOUR)).toBe(102 + 2 * 96);
    // Waiting out the quiet period to get the free guesses back is never faster than that.
    expect(maxGuessesPerDay(policy)).toBe(96);
    const expectedDays = 500_000 / maxGuessesPerDay(policy);
    expect(expectedDays / 365).toBeGreaterThan(14);
  });

  it('a short quiet period would let the free guesses back too often, and the figure shows it', () => {
    expect(maxGuessesPerDay({ ...policy, windowMs: 20 * MIN })).toBeGreaterThan(200);
  });
});

describe('PinLockout persistence', () => {
  it('keeps the wait across a restart, crediting only the time that passed within the boot', async () => {
    await atTheCap();
    clock.restart(10 * MIN); // 10 minutes between the last write and the new process
    const restarted = await open();
    const left = restarted.status().lockedForMs!;
    expect(left).toBeGreaterThan(5 * MIN); // never less than the real 15 − 10
    expect(left).toBeLessThanOrEqual(5 * MIN + 2_000); // rounded down to whole seconds of uptime
    expect((await restarted.beginAttempt()).allowed).toBe(false);
    clock.advance(left);
    expect(await restarted.beginAttempt()).toMatchObject({ allowed: true });
    expect(restarted.status().lockedForMs).toBe(15 * MIN); // the run went on where it was
  });

  it('after a reboot credits only the uptime since boot: time switched off runs neither the wait nor the quiet period down', async () => {
    await atTheCap();
    clock.reboot(2 * MIN); // off for who knows how long (a day, or a wall clock moved by a day)
    const rebooted = await open();
    expect(rebooted.status().lockedForMs).toBeGreaterThan(13 * MIN);
    expect((await rebooted.beginAttempt()).allowed).toBe(false);
    clock.advance(13 * MIN + 1_000);
    expect(rebooted.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 }); // still the same run
  });

  it('counts an attempt the process died during', async () => {
    const lockout = await open();
    await lockout.beginAttempt(); // ...and the power goes before the server answers
    clock.restart();
    expect((await open()).status().remainingAttempts).toBe(2);
  });

  it('takes back an attempt the server never judged, and starts over after a success', async () => {
    const lockout = await open();
    await failAsSoonAsAllowed(lockout, 2);
    const gate = await lockout.beginAttempt();
    if (!gate.allowed) throw new Error('should be allowed');
    await lockout.notJudged(gate.token);
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
    await lockout.succeeded();
    clock.restart();
    expect((await open()).status()).toEqual({ lockedForMs: null, remainingAttempts: 3 });
  });

  it("honours the server's retry_after, durably", async () => {
    const lockout = await open();
    await lockout.lockedByServer(1800);
    clock.restart();
    expect((await open()).status()).toEqual({ lockedForMs: 1_800_000, remainingAttempts: 0 });
  });

  it('starts open on a fresh machine and keeps its state signed', async () => {
    const lockout = await open();
    expect(lockout.status()).toEqual({ lockedForMs: null, remainingAttempts: 3 });
    await lockout.beginAttempt();
    const stored = JSON.parse(await readFile(file, 'utf8')) as { v: number; body: string; mac: string };
    expect(stored).toMatchObject({ v: 3, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(stored.body)).toMatchObject({ failures: 1, lastAgeMs: 0, lockLeftMs: 0 });
    expect(errors).toEqual([]);
  });

  describe('tampering assumes the worst, never resets', () => {
    /** Locked for the longest wait; once that is over, one guess, then the longest wait again. */
    const lockedAtTheCap = async () => {
      clock.restart();
      const lockout = await open();
      expect(lockout.status()).toEqual({ lockedForMs: 15 * MIN, remainingAttempts: 0 });
      expect(await lockout.beginAttempt()).toMatchObject({ allowed: false });
      clock.advance(15 * MIN);
      expect(await lockout.beginAttempt()).toMatchObject({ allowed: true });
      expect(lockout.status().lockedForMs).toBe(15 * MIN);
      return lockout;
    };

    it('a deleted file (the kiosk wrote one before) locks, logged once', async () => {
      await failAsSoonAsAllowed(await open(), 2);
      await rm(file);
      clock.restart();
      await open();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ message: expect.stringContaining('locking the keypad for the longest wait'), fields: { reason: expect.stringContaining('missing') } });
      clock.restart(); // the lock is now on disk, signed: no second alarm, still locked
      expect((await open()).status().lockedForMs).toBeGreaterThan(15 * MIN - 2_000);
      expect(errors).toHaveLength(1);
      await rm(file);
      await lockedAtTheCap();
    });

    it('an emptied file locks', async () => {
      await failAsSoonAsAllowed(await open(), 2);
      await writeFile(file, '');
      await lockedAtTheCap();
      expect(errors[0]?.fields).toMatchObject({ reason: 'the file is empty' });
    });

    it('a count edited without the key locks', async () => {
      await failAsSoonAsAllowed(await open(), 2);
      const stored = JSON.parse(await readFile(file, 'utf8')) as { body: string };
      await writeFile(file, JSON.stringify({ ...stored, body: JSON.stringify({ ...JSON.parse(stored.body), failures: 0 }) }));
      await lockedAtTheCap();
      expect(errors[0]?.fields).toMatchObject({ reason: expect.stringContaining('MAC does not match') });
    });

    it('a state signed with another key (key file replaced, credentials changed) locks', async () => {
      await failAsSoonAsAllowed(await open(), 1);
      clock.restart();
      const lockout = await open(Buffer.alloc(32, 9));
      expect(lockout.status().lockedForMs).toBe(15 * MIN);
    });

    it('a damaged file locks', async () => {
      await writeFile(file, '{"v":3,"body":"{\\"failures\\":[1,2');
      await lockedAtTheCap();
    });

    it('an unsigned file of the earlier form locks once the signed form was ever written', async () => {
      await open();
      await writeFile(file, JSON.stringify({ v: 1, failures: [], lockedUntil: null }));
      await lockedAtTheCap();
    });

    it('a lost marker alone changes nothing while the signed file is intact', async () => {
      await failAsSoonAsAllowed(await open(), 2);
      await rm(marker);
      clock.restart();
      expect((await open()).status()).toEqual({ lockedForMs: null, remainingAttempts: 1 });
      expect(errors).toEqual([]);
    });
  });

  it('adopts the signed sliding-window form of the previous version, keeping its count', async () => {
    await open(); // the marker exists, as on a machine that ran the previous version
    const body = JSON.stringify({ failuresLeftMs: [50 * MIN, 40 * MIN, 30 * MIN, 20 * MIN], lockLeftMs: 0, uptimeMs: clock.uptimeMs() });
    const mac = createHmac('sha256', KEY).update('rvm-kiosk pin-lockout v2\n').update(body).digest('hex');
    await writeFile(file, JSON.stringify({ v: 2, body, mac }));
    clock.restart();
    const lockout = await open();
    expect(lockout.status()).toEqual({ lockedForMs: MIN, remainingAttempts: 0 }); // 4 in a row: the second wait
    expect(errors).toEqual([]);
  });

  it('adopts an earlier unsigned file on the first start of this version', async () => {
    const wall = Date.now();
    await writeFile(file, JSON.stringify({ v: 1, failures: [wall - 10 * MIN, wall - 2 * 24 * HOUR], lockedUntil: null }));
    const lockout = await open();
    expect(lockout.status().remainingAttempts).toBe(2);
    expect(errors).toEqual([]);
  });
});
