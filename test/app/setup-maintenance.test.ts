import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KioskContext } from '../../src/app/context.js';
import { setupMaintenance } from '../../src/app/setup-maintenance.js';
import { StatusBoard } from '../../src/app/status-board.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { makeTempDir } from '../helpers/outbox.js';
import { testContext } from '../helpers/context.js';

let ctx: KioskContext;
let dataDir: string;
let cleanup: () => Promise<void>;
const verifyPin = async (pin: string) => (pin === '135790' ? { kind: 'ok' as const, technicianName: 'Budi' } : { kind: 'wrong' as const });

beforeEach(async () => {
  const tmp = await makeTempDir('rvm-maint-setup-');
  cleanup = tmp.cleanup;
  dataDir = tmp.dir;
  const core = new KioskCore();
  ctx = testContext(kioskConfig.parse({ dataDir: tmp.dir, maintenance: { maxFailures: 2 } }), { core });
  ctx.status.markStarted();
});
afterEach(async () => {
  await ctx.core.dispose();
  await cleanup();
});

it('puts the machine into maintenance through the contract and back out', async () => {
  await setupMaintenance(ctx, { verifyPin });
  expect(ctx.core.current('maintenance.state')).toMatchObject({ active: false, remainingAttempts: 2 });
  expect(await ctx.core.call('maintenance.enter', { pin: '135790' })).toEqual({ ok: true, technicianName: 'Budi' });
  expect(ctx.status.state).toBe('maintenance');
  expect(ctx.core.current('maintenance.state')).toMatchObject({ active: true, technicianName: 'Budi' });
  await ctx.core.call('maintenance.exit', {});
  expect(ctx.status.state).toBe('ready');
});

it('refuses a PIN that is not six digits before it reaches the verifier', async () => {
  await setupMaintenance(ctx, { verifyPin });
  const reply = await ctx.core.dispatch({ type: 'command', id: 1, name: 'maintenance.enter', payload: { pin: 12345 } });
  expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  expect(ctx.core.current('maintenance.state')).toMatchObject({ remainingAttempts: 2 });
});

it('shows a lock that survived a restart as soon as it starts', async () => {
  await setupMaintenance(ctx, { verifyPin });
  await ctx.core.call('maintenance.enter', { pin: '000000' });
  await ctx.core.call('maintenance.enter', { pin: '000000' });
  await ctx.core.dispose();
  const core = new KioskCore();
  ctx = { ...ctx, core, status: new StatusBoard(core, 'Test', true) };
  await setupMaintenance(ctx, { verifyPin });
  expect(ctx.core.current('maintenance.state')).toMatchObject({ active: false, remainingAttempts: 0, lockedUntil: expect.any(Number) });
  expect(await ctx.core.call('maintenance.enter', { pin: '135790' })).toMatchObject({ ok: false, error: 'locked' });
});

/** Dispatch as a UI connection would (the hosts name each connection). */
const asScreen = (connectionId: string, name: string, payload: unknown = {}) => ctx.core.dispatch({ type: 'command', id: 9, name, payload }, { connectionId });
const lockoutFile = () => path.join(dataDir, 'maintenance', 'pin-lockout.json');

/** The kiosk restarting over the same data folder. */
async function restart(): Promise<void> {
  await ctx.core.dispose();
  const core = new KioskCore();
  ctx = { ...ctx, core, status: new StatusBoard(core, 'Test', true) };
  ctx.status.markStarted();
  await setupMaintenance(ctx, { verifyPin });
}

it('opens technician-only commands only to the connection that entered the PIN, and only while maintenance mode is on', async () => {
  await setupMaintenance(ctx, { verifyPin });
  ctx.core.handle('hardware.test', ({ action }) => ({ action, ok: true, roundTripMs: 1, detail: 'ok' }));
  const hardwareTest = (connectionId: string) => asScreen(connectionId, 'hardware.test', { action: 'ping' });
  expect(await hardwareTest('ws:a')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await asScreen('ws:a', 'maintenance.enter', { pin: '135790' })).toMatchObject({ ok: true, result: { ok: true } });
  expect(await hardwareTest('ws:a')).toMatchObject({ ok: true });
  expect(await hardwareTest('ws:b')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await ctx.core.dispatch({ type: 'command', id: 9, name: 'hardware.test', payload: { action: 'ping' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await asScreen('ws:b', 'maintenance.exit')).toMatchObject({ ok: true, result: { active: true } }); // not B's to end
  expect(await asScreen('ws:a', 'maintenance.exit')).toMatchObject({ ok: true, result: { active: false } });
  expect(await hardwareTest('ws:a')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

it("ends maintenance mode when the technician's connection closes", async () => {
  await setupMaintenance(ctx, { verifyPin });
  await asScreen('ws:a', 'maintenance.enter', { pin: '135790' });
  ctx.core.connectionClosed('ws:b');
  expect(ctx.status.state).toBe('maintenance');
  ctx.core.connectionClosed('ws:a');
  expect(ctx.status.state).toBe('ready');
  expect(ctx.core.current('maintenance.state')).toMatchObject({ active: false });
});

it('lets no extra guess through while the server clock jumps forward 61 minutes per attempt', async () => {
  let serverTime = Date.UTC(2026, 0, 31, 3);
  let judged = 0;
  await setupMaintenance(ctx, {
    now: () => serverTime,
    verifyPin: async (pin) => {
      judged += 1;
      serverTime += 61 * 60_000; // a proxy forging the server's Date header between rounds
      return verifyPin(pin);
    },
  });
  const replies = [];
  for (let k = 0; k < 20; k += 1) replies.push(await ctx.core.call('maintenance.enter', { pin: '000000' }));
  expect(judged).toBe(2); // maintenance.maxFailures in this test's configuration
  expect(replies.filter((r) => r.error === 'locked')).toHaveLength(18);
});

const tampering: Array<[string, () => Promise<void>]> = [
  ['deleted', () => rm(lockoutFile())],
  ['emptied to no bytes', () => truncate(lockoutFile(), 0)],
  ['emptied to a clean state', () => writeFile(lockoutFile(), JSON.stringify({ v: 1, failures: [], lockedUntil: null }))],
  ['edited to show no failures', () => editedToNoFailures()],
];
it.each(tampering)('locks the keypad for one window, instead of resetting it, when the lockout file was %s', async (_how, tamper) => {
  await setupMaintenance(ctx, { verifyPin });
  await ctx.core.call('maintenance.enter', { pin: '000000' });
  expect(ctx.core.current('maintenance.state')).toMatchObject({ remainingAttempts: 1 });
  await tamper();
  await restart();
  expect(ctx.core.current('maintenance.state')).toMatchObject({ remainingAttempts: 0, lockedUntil: expect.any(Number) });
  expect(await ctx.core.call('maintenance.enter', { pin: '135790' })).toMatchObject({ ok: false, error: 'locked' });
});

/** Rewrite the lockout file to show no failures, keeping everything else (whichever format it is in). */
async function editedToNoFailures(): Promise<void> {
  const stored = JSON.parse(await readFile(lockoutFile(), 'utf8')) as Record<string, unknown>;
  if (typeof stored.body === 'string') {
    stored.body = JSON.stringify({ ...(JSON.parse(stored.body) as object), failuresLeftMs: [], lockLeftMs: 0 });
  } else {
    stored.failures = [];
    stored.lockedUntil = null;
  }
  await writeFile(lockoutFile(), JSON.stringify(stored));
}

it('keeps the MAC key out of the data folder when the machine has credentials, and in a private key file when not', async () => {
  await setupMaintenance(ctx, { verifyPin });
  const keyFile = path.join(dataDir, 'maintenance', 'pin-lockout.key');
  expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  await ctx.core.dispose();
  await rm(keyFile);
  await rm(lockoutFile());
  await rm(path.join(dataDir, '.pin-lockout-written'));
  const apiKey = 'k'.repeat(40);
  const core = new KioskCore();
  ctx = testContext(kioskConfig.parse({ dataDir, server: { mode: 'remote', url: 'https://myrvm.example.org', credentials: { serial_number: 'S1', name: 'RVM', api_key: apiKey } } }), { core });
  await setupMaintenance(ctx, { verifyPin });
  await expect(stat(keyFile)).rejects.toThrow('ENOENT');
  expect(await readFile(lockoutFile(), 'utf8')).not.toContain(apiKey);
  expect(ctx.core.current('maintenance.state')).toMatchObject({ lockedUntil: null });
});
