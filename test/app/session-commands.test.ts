/**
 * The session commands through the core as a UI calls them: a guest gets a claim code, Continue answers the
 * still-there prompt, a donation is durable and only for a finished guest session, and the language goes
 * back to the default once a session is over.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { registerSessionCommands } from '../../src/app/session-commands.js';
import { setupSystem } from '../../src/app/setup-system.js';
import { ClaimStore } from '../../src/session/claim-store.js';
import { SessionFlow } from '../../src/session/session-flow.js';
import { testContext } from '../helpers/context.js';
import { FakeServer } from '../helpers/fake-ports.js';
import { makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: KioskContext;
let flow: SessionFlow;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-session-cmds-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const config = kioskConfig.parse({
    dataDir: dir,
    machineName: 'RVM Pasar Baru',
    language: 'id',
    session: { waitingLoginMs: 1000, activeIdleMs: 10_000, finishedMs: 5000, stillTherePromptMs: 3000 },
  });
  ctx = testContext(config);
  setupSystem(ctx);
  // What setup-session's flow does with each change: tell the UI, and the bus on a phase change.
  let lastPhase: string | null = null;
  flow = new SessionFlow((state) => {
    ctx.core.emit('session.state', state);
    if (state.phase !== lastPhase) {
      lastPhase = state.phase;
      ctx.bus.emit('session.phase', { phase: state.phase, sessionId: state.sessionId });
    }
  }, config.session);
  ctx.core.onDispose(() => flow.dispose());
});
afterEach(async () => {
  vi.useRealTimers();
  await ctx.core.dispose();
  await cleanup();
});

const refusal = async (name: 'session.donate' | 'session.start', payload: object) => {
  const reply = await ctx.core.dispatch({ type: 'command', id: 1, name, payload });
  return reply.ok ? null : reply.error.reason;
};

it('gives a guest session a claim code and its QR URL at start; a QR session gets none', async () => {
  await registerSessionCommands(ctx, flow, new FakeServer());
  const guest = await ctx.core.call('session.start', { mode: 'guest' });
  expect(guest.claimCode).toMatch(/^[34679ACDEFGHJKMNPQRTWXYZ]{8}$/);
  expect(guest.claimUrl).toBe(`myrvm://claim?code=${guest.claimCode}&rvm=RVM%20Pasar%20Baru`);
  expect(guest).toMatchObject({ phase: 'active', mode: 'guest', donated: false, promptAt: guest.deadline! - 3000 });
  await ctx.core.call('session.cancel', {});
  const next = await ctx.core.call('session.start', { mode: 'guest' });
  expect(next.claimCode).not.toBe(guest.claimCode);
  await ctx.core.call('session.cancel', {});
  const qr = await ctx.core.call('session.start', { mode: 'qr' });
  expect(qr).toMatchObject({ phase: 'waiting_login', claimCode: null, claimUrl: null });
});

it('refuses to start while the machine is out of service, as a code', async () => {
  await registerSessionCommands(ctx, flow, new FakeServer());
  ctx.status.markStarted();
  ctx.status.raise('storage_low');
  expect(await refusal('session.start', { mode: 'guest' })).toBe('not_accepting');
});

it('answers the still-there prompt: Continue moves the deadline and the prompt on', async () => {
  await registerSessionCommands(ctx, flow, new FakeServer());
  await ctx.core.call('session.start', { mode: 'guest' });
  vi.advanceTimersByTime(8000);
  const after = await ctx.core.call('session.continue', {});
  expect(after).toMatchObject({ phase: 'active', deadline: Date.now() + 10_000, promptAt: Date.now() + 7000 });
  expect(ctx.core.current('session.state')?.promptAt).toBe(Date.now() + 7000);
  vi.advanceTimersByTime(9000);
  expect(flow.current.phase).toBe('active');
  // A Continue that arrives after the session ended is no error: the reply says where it is.
  await ctx.core.call('session.cancel', {});
  vi.advanceTimersByTime(5001);
  expect(await ctx.core.call('session.continue', {})).toMatchObject({ phase: 'idle' });
});

it('records a donation durably, only for a finished guest session, and marks the state', async () => {
  await registerSessionCommands(ctx, flow, new FakeServer());
  await ctx.core.call('session.start', { mode: 'guest' });
  expect(await refusal('session.donate', {})).toBe('no_claim_code'); // not finished yet
  flow.update({ totalPoints: 22 });
  const finished = await ctx.core.call('session.finish', {});
  const donated = await ctx.core.call('session.donate', {});
  expect(donated).toMatchObject({ phase: 'finished', donated: true, claimCode: finished.claimCode, totalPoints: 22 });
  expect(await ctx.core.call('session.donate', {})).toMatchObject({ donated: true }); // a second tap is harmless
  const reopened = await ClaimStore.open(path.join(dir, 'claims'));
  expect(reopened.isDonated(finished.claimCode!)).toBe(true);
  expect(reopened.count).toBe(1);

  vi.advanceTimersByTime(5001);
  expect(flow.current).toMatchObject({ phase: 'idle', donated: false, claimCode: null });
  expect(await refusal('session.donate', {})).toBe('no_claim_code'); // idle
});

it('refuses a donation for a member session (no claim code)', async () => {
  await registerSessionCommands(ctx, flow, new FakeServer());
  await ctx.core.call('session.start', { mode: 'qr' });
  flow.send('authorized', { userName: 'Ani' });
  await ctx.core.call('session.finish', {});
  expect(await refusal('session.donate', {})).toBe('no_claim_code');
});

it('says donation_failed and leaves the code claimable when the donation cannot be written', async () => {
  await mkdir(path.join(dir, 'claims', 'donated.jsonl'), { recursive: true }); // a directory where the file goes
  await registerSessionCommands(ctx, flow, new FakeServer());
  await ctx.core.call('session.start', { mode: 'guest' });
  await ctx.core.call('session.finish', {});
  expect(await refusal('session.donate', {})).toBe('donation_failed');
  expect(flow.current).toMatchObject({ phase: 'finished', donated: false });
});

it('sets the language back to the default when a session is over, and not before', async () => {
  await registerSessionCommands(ctx, flow, new FakeServer());
  await ctx.core.call('system.setLanguage', { language: 'en' });
  await ctx.core.call('session.start', { mode: 'guest' });
  await ctx.core.call('session.finish', {});
  await vi.advanceTimersByTimeAsync(4000);
  expect(ctx.core.current('system.language')).toEqual({ language: 'en' }); // the thank-you screen stays English
  await vi.advanceTimersByTimeAsync(1001);
  expect(flow.current.phase).toBe('idle');
  expect(ctx.core.current('system.language')).toEqual({ language: 'id' });
  expect(await ctx.core.call('system.hello', { client: 'test' })).toMatchObject({ language: 'id' });

  // A language chosen on attract (no session yet) stays until a session has come and gone.
  await ctx.core.call('system.setLanguage', { language: 'en' });
  await vi.advanceTimersByTimeAsync(60_000);
  expect(ctx.core.current('system.language')).toEqual({ language: 'en' });
  await ctx.core.call('session.start', { mode: 'qr' });
  await ctx.core.call('session.cancel', {});
  await vi.advanceTimersByTimeAsync(0);
  expect(ctx.core.current('system.language')).toEqual({ language: 'id' });
});

it('still runs sessions when the claims folder cannot be made; only a donation is refused', async () => {
  await writeFile(path.join(dir, 'claims'), 'a file where the folder goes');
  expect(await registerSessionCommands(ctx, flow, new FakeServer())).toBeNull();
  await ctx.core.call('session.start', { mode: 'guest' });
  await ctx.core.call('session.finish', {});
  expect(await refusal('session.donate', {})).toBe('donation_failed');
});
