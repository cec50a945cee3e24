import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KioskContext } from '../../src/app/context.js';
import { setupMaintenance } from '../../src/app/setup-maintenance.js';
import { StatusBoard } from '../../src/app/status-board.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { makeTempDir } from '../helpers/outbox.js';
import { testContext } from '../helpers/context.js';

let ctx: KioskContext;
let cleanup: () => Promise<void>;
const verifyPin = async (pin: string) => (pin === '135790' ? { kind: 'ok' as const, technicianName: 'Budi' } : { kind: 'wrong' as const });

beforeEach(async () => {
  const tmp = await makeTempDir('rvm-maint-setup-');
  cleanup = tmp.cleanup;
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

it('opens technician-only commands to the UI only while maintenance mode is on', async () => {
  await setupMaintenance(ctx, { verifyPin });
  ctx.core.handle('hardware.test', ({ action }) => ({ action, ok: true, roundTripMs: 1, detail: 'ok' }));
  const fromUi = () => ctx.core.dispatch({ type: 'command', id: 9, name: 'hardware.test', payload: { action: 'ping' } });
  expect(await fromUi()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await ctx.core.call('maintenance.enter', { pin: '135790' })).toMatchObject({ ok: true });
  expect(await fromUi()).toMatchObject({ ok: true });
  await ctx.core.call('maintenance.exit', {});
  expect(await fromUi()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});
