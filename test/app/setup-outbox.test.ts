import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KioskContext } from '../../src/app/context.js';
import { setupOutbox } from '../../src/app/setup-outbox.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { eventually } from '../helpers/eventually.js';
import { FaultyDisk } from '../helpers/faulty-fs.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';
import { testContext } from '../helpers/context.js';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: KioskContext;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const core = new KioskCore();
  core.setTechnicianCheck(() => true); // these tests speak as a technician's maintenance screen
  const config = kioskConfig.parse({ dataDir: dir, outbox: { maxPending: 3, alarmPending: 2, flushDelayMs: 0 } });
  ctx = testContext(config, { core });
  ctx.status.markStarted();
});
afterEach(async () => {
  await ctx.core.dispose();
  await cleanup();
});

it('serves the outbox commands and events through the core', async () => {
  const outbox = await setupOutbox(ctx);
  for (let n = 0; n < 2; n += 1) await outbox.record(makeCredit(n));
  const status = await ctx.core.call('outbox.status', {});
  expect(status).toMatchObject({ pending: 2, linkAttached: false, alarms: ['backlog'] });
  const preview = await ctx.core.call('outbox.preview', { limit: 1 });
  expect(preview.total).toBe(2);
  expect(preview.records).toHaveLength(1);
  await eventually(() => ctx.core.current('outbox.state')?.pending === 2, { what: 'the throttled event' });

  const refused = await ctx.core.dispatch({ type: 'command', id: 1, name: 'outbox.push', payload: {} });
  expect(refused).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/not attached/) } });

  outbox.attachSender({ send: async () => ({ kind: 'ok' }) });
  const pushed = await ctx.core.call('outbox.push', { from: '2026-01-01T00:00:00+00:00' });
  expect(pushed).toMatchObject({ outcome: 'ok', state: { pending: 0, pushed: 2 } });
});

it('takes the machine out of service when the backlog reaches its limit, and back when it drains', async () => {
  const outbox = await setupOutbox(ctx);
  for (let n = 0; n < 3; n += 1) await outbox.record(makeCredit(n));
  await eventually(() => ctx.status.has('outbox_full'), { what: 'the out-of-service reason' });
  expect(ctx.status.state).toBe('out_of_service');
  outbox.attachSender({ send: async () => ({ kind: 'ok' }) });
  await eventually(() => !ctx.status.has('outbox_full'), { what: 'the reason to clear' });
  expect(ctx.status.state).toBe('ready');
});

it('rejects a malformed preview request with a clear error', async () => {
  await setupOutbox(ctx);
  const reply = await ctx.core.dispatch({ type: 'command', id: 2, name: 'outbox.preview', payload: { limit: 0, from: 'yesterday' } });
  expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
});

it('shows a damaged credit journal as a notice: the machine stays ready, the technician sees it', async () => {
  const first = await setupOutbox(ctx);
  for (let n = 1; n <= 3; n += 1) await first.record(makeCredit(n));
  await first.close();
  const seg = path.join(dir, 'outbox', 'seg-00000001.jnl');
  const data = await readFile(seg);
  const at = data.lastIndexOf('"points":10') + 9;
  data[at] = data[at]! ^ 1; // a flipped bit in the last complete line
  await writeFile(seg, data);

  const core = new KioskCore();
  const again = testContext(ctx.config, { core });
  again.status.markStarted();
  const outbox = await setupOutbox(again);
  try {
    await eventually(() => core.current('system.status')?.notices.some((n) => n.code === 'outbox_damaged'), { what: 'the damage notice' });
    expect(again.status.state).toBe('ready');
    expect(core.current('system.status')?.notices.find((n) => n.code === 'outbox_damaged')?.detail).toMatch(/1 line\(s\).*1 file\(s\) in outbox\/quarantine/);
    expect(outbox.state()).toMatchObject({ pending: 2, damagedLines: 1, damagedCredits: 1, quarantined: 1 });
    expect(outbox.state().alarms).toContain('corrupt_records'); // (and `backlog`: this test's limit is 2)
    expect(outbox.canAccept()).toBe(true);
  } finally {
    await core.dispose();
  }
});

it('takes the machine out of service when credits cannot be written, and back once the disk takes writes', async () => {
  const disk = new FaultyDisk();
  const outbox = await setupOutbox(ctx, { fs: disk.fs });
  disk.fill();
  await outbox.record(makeCredit(1)); // the item already in the bin: recorded through the disk reserve
  await eventually(() => ctx.status.has('storage_unwritable'), { what: 'the out-of-service reason' });
  expect(ctx.status.state).toBe('out_of_service');
  expect(outbox.canAccept()).toBe(false);
  disk.clear();
  await outbox.refresh();
  await eventually(() => !ctx.status.has('storage_unwritable'), { what: 'the reason to clear' });
  expect(ctx.status.state).toBe('ready');
  expect(outbox.canAccept()).toBe(true);
});
