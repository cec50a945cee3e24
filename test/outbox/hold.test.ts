/**
 * The outbox hold switch (maintenance windows): while on, nothing leaves — no automatic pass, no manual
 * push — yet credits are still stored; it survives a restart; switching it off sends what waited.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { setupOutbox } from '../../src/app/setup-outbox.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { OutboxHeldError } from '../../src/outbox/outbox.js';
import { eventually } from '../helpers/eventually.js';
import { testContext } from '../helpers/context.js';
import { makeCredit, outboxPerTest, recordingServer } from '../helpers/outbox.js';

const rig = outboxPerTest('rvm-hold-');
const openOutbox = () => rig.open(outboxConfig.parse({ flushDelayMs: 1, batchSize: 5 }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('sends nothing while held, still stores credits, and sends them once released', async () => {
  const outbox = await openOutbox();
  const server = recordingServer();
  await outbox.setHold(true, 'server migration');
  outbox.attachSender(server);
  for (let n = 0; n < 3; n += 1) await outbox.record(makeCredit(n));
  // Several flush delays pass: an automatic pass would have run by now.
  await sleep(50);
  expect(server.received).toEqual([]);
  expect(outbox.state()).toMatchObject({ pending: 3, hold: { on: true, reason: 'server migration', since: expect.any(Number) } });
  await expect(outbox.push()).rejects.toBeInstanceOf(OutboxHeldError);
  expect(server.received).toEqual([]);

  await outbox.setHold(false);
  await eventually(() => server.received.length === 3 && outbox.state().pending === 0, { what: 'the held credits to go out' });
  expect(outbox.state()).toMatchObject({ pending: 0, hold: { on: false, reason: null, since: null } });
});

it('stays held across a restart', async () => {
  const first = await openOutbox();
  await first.setHold(true, 'tariff check');
  await first.record(makeCredit(1));
  await first.close();

  const second = await openOutbox();
  const server = recordingServer();
  second.attachSender(server);
  await sleep(30);
  expect(server.received).toEqual([]);
  expect(second.state().hold).toMatchObject({ on: true, reason: 'tariff check' });
  expect(JSON.parse(await readFile(path.join(rig.dir(), 'hold.json'), 'utf8'))).toMatchObject({ on: true });
});

it('holds when hold.json is damaged rather than sending by surprise', async () => {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(rig.dir(), 'hold.json'), '{"on": tr');
  const outbox = await openOutbox();
  expect(outbox.state().hold).toMatchObject({ on: true, reason: 'hold.json unreadable' });
});

it('cuts a backoff wait short when held: no retry fires during the window', async () => {
  const outbox = await openOutbox();
  let calls = 0;
  outbox.attachSender({ send: async () => ((calls += 1), { kind: 'retryable', message: 'down' }) });
  await outbox.record(makeCredit(1));
  await eventually(() => calls >= 1 && outbox.state().nextAttemptAt !== null, { what: 'a failed pass and a backoff wait' });
  await outbox.setHold(true);
  expect(outbox.state().nextAttemptAt).toBeNull();
  const before = calls;
  await sleep(1_200); // past the first backoff delay (1 s)
  expect(calls).toBe(before);
});

it('serves outbox.hold through the core, refusing a push while held with outbox_held', async () => {
  const core = new KioskCore();
  core.setTechnicianCheck(() => true);
  const ctx: KioskContext = testContext(kioskConfig.parse({ dataDir: rig.dir(), outbox: { flushDelayMs: 0 } }), { core });
  try {
    const outbox = await setupOutbox(ctx);
    outbox.attachSender(recordingServer());
    const state = await ctx.core.call('outbox.hold', { on: true, reason: 'window' });
    expect(state.hold).toEqual({ on: true, reason: 'window', since: expect.any(Number) });
    await eventually(() => ctx.core.current('outbox.state')?.hold?.on === true, { what: 'the hold in outbox.state' });
    const refused = await ctx.core.dispatch({ type: 'command', id: 1, name: 'outbox.push', payload: {} });
    expect(refused).toMatchObject({ ok: false, error: { reason: 'outbox_held' } });
    expect((await ctx.core.call('outbox.hold', { on: false })).hold?.on).toBe(false);
  } finally {
    await ctx.core.dispose();
  }
});

it('is a technician command', async () => {
  const core = new KioskCore();
  core.setTechnicianCheck(() => false);
  const ctx = testContext(kioskConfig.parse({ dataDir: rig.dir() }), { core });
  try {
    await setupOutbox(ctx);
    const refused = await ctx.core.dispatch({ type: 'command', id: 1, name: 'outbox.hold', payload: { on: true } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  } finally {
    await ctx.core.dispose();
  }
});
