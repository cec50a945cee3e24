import { describe, expect, it } from 'vitest';
import { KioskCore, CommandError } from '../../src/core/kiosk-core.js';

function coreWithPing(): KioskCore {
  const core = new KioskCore();
  core.handle('system.ping', () => ({ at: 42 }));
  core.handle('system.setLanguage', (req) => ({ language: req.language }));
  return core;
}

describe('KioskCore.dispatch', () => {
  it('answers a valid command with its handler result', async () => {
    const reply = await coreWithPing().dispatch({ type: 'command', id: 7, name: 'system.ping', payload: {} });
    expect(reply).toEqual({ type: 'reply', id: 7, ok: true, result: { at: 42 } });
  });

  it.each([
    ['not an object', 'hello', 'bad_message'],
    ['missing name', { type: 'command', id: 1 }, 'bad_message'],
    ['unknown command', { type: 'command', id: 1, name: 'system.selfDestruct', payload: {} }, 'unknown_command'],
    ['wrong payload shape', { type: 'command', id: 1, name: 'system.setLanguage', payload: { language: 'fr' } }, 'invalid_request'],
    ['extra fields', { type: 'command', id: 1, name: 'system.ping', payload: { x: 1 } }, 'invalid_request'],
  ])('rejects %s with a clear error instead of throwing', async (_label, message, code) => {
    const reply = await coreWithPing().dispatch(message);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe(code);
      expect(reply.error.message.length).toBeGreaterThan(5);
    }
  });

  it('turns a throwing handler into a failed reply and keeps serving', async () => {
    const core = new KioskCore();
    core.handle('system.ping', () => {
      throw new CommandError('session_busy', 'busy');
    });
    core.handle('system.setLanguage', (req) => ({ language: req.language }));
    const failed = await core.dispatch({ type: 'command', id: 'a', name: 'system.ping', payload: {} });
    expect(failed).toMatchObject({ ok: false, error: { code: 'failed', reason: 'session_busy', message: 'busy' } });
    const ok = await core.dispatch({ type: 'command', id: 'b', name: 'system.setLanguage', payload: { language: 'en' } });
    expect(ok).toMatchObject({ ok: true, result: { language: 'en' } });
  });

  it('refuses a handler reply that breaks the contract', async () => {
    const core = new KioskCore();
    core.handle('system.ping', () => ({ at: 'soon' }) as unknown as { at: number });
    const reply = await core.dispatch({ type: 'command', id: 1, name: 'system.ping', payload: {} });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_reply' } });
  });
});

describe('KioskCore events', () => {
  it('keeps the latest valid payload per event for late subscribers and drops invalid ones', () => {
    const core = new KioskCore();
    const seen: string[] = [];
    core.subscribe((name) => seen.push(name));
    core.emit('system.language', { language: 'id' });
    core.emit('system.language', { language: 'en' });
    core.emit('system.language', { language: 'xx' } as never);
    expect(seen).toEqual(['system.language', 'system.language']);
    expect(core.snapshot()).toEqual([{ name: 'system.language', payload: { language: 'en' } }]);
  });
});

describe('technician-only commands', () => {
  it('refuses them from a UI until maintenance mode says a technician is in, but not from trusted code', async () => {
    const core = new KioskCore();
    core.handle('outbox.push', () => {
      throw new CommandError('failed', 'handler reached');
    });
    const fromUi = () => core.dispatch({ type: 'command', id: 1, name: 'outbox.push', payload: {} });
    expect(await fromUi()).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('maintenance mode') } });
    await expect(core.call('outbox.push', {})).rejects.toThrow('handler reached');
    let technician = false;
    core.setTechnicianCheck(() => technician);
    expect(await fromUi()).toMatchObject({ error: { code: 'forbidden' } });
    technician = true;
    expect(await fromUi()).toMatchObject({ error: { code: 'failed', message: 'handler reached' } });
  });
});

describe('the sender of a command', () => {
  it('reaches the technician check and the handler as the connection a host named, or as nobody', async () => {
    const core = new KioskCore();
    const seen: unknown[] = [];
    core.handle('outbox.push', (_request, context) => {
      seen.push(context);
      throw new CommandError('failed', 'recorded');
    });
    core.setTechnicianCheck(({ connectionId }) => connectionId === 'ws:a');
    const push = { type: 'command', id: 1, name: 'outbox.push', payload: {} };
    expect(await core.dispatch(push, { connectionId: 'ws:b' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch(push)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await core.dispatch(push, { connectionId: 'ws:a' });
    await core.call('outbox.push', {}).catch(() => undefined);
    expect(seen).toEqual([
      { connectionId: 'ws:a', trusted: false },
      { connectionId: null, trusted: true },
    ]);
  });

  it('tells its listeners when a host says a connection closed, until they unsubscribe or the core is disposed', async () => {
    const core = new KioskCore();
    const closed: string[] = [];
    const stop = core.onConnectionClosed((id) => closed.push(id));
    core.connectionClosed('ws:a');
    stop();
    core.connectionClosed('ws:b');
    core.onConnectionClosed((id) => closed.push(`again ${id}`));
    await core.dispose();
    core.connectionClosed('ws:c');
    expect(closed).toEqual(['ws:a']);
  });
});

describe('command-done listeners (the technician audit hears every command a UI ran)', () => {
  it('hears the outcome of each handled command, with its sender, and a failing listener changes no reply', async () => {
    const core = new KioskCore();
    core.handle('system.setLanguage', (req) => ({ language: req.language }));
    core.handle('system.ping', () => {
      throw new CommandError('session_busy', 'busy');
    });
    const heard: Array<{ name: string; ok: boolean; connectionId: string | null; reason?: string }> = [];
    core.onCommandDone((done) => heard.push({ name: done.name, ok: done.ok, connectionId: done.context.connectionId, ...(done.ok ? {} : { reason: done.reason }) }));
    const off = core.onCommandDone(() => {
      throw new Error('broken listener');
    });
    await expect(core.dispatch({ type: 'command', id: 1, name: 'system.setLanguage', payload: { language: 'en' } }, { connectionId: 'ws:a' })).resolves.toMatchObject({ ok: true });
    await expect(core.dispatch({ type: 'command', id: 2, name: 'system.ping', payload: {} }, { connectionId: 'ws:a' })).resolves.toMatchObject({ ok: false });
    // Refused before any handler ran (unknown command): nothing was done, so nothing is heard.
    await core.dispatch({ type: 'command', id: 3, name: 'no.such', payload: {} }, { connectionId: 'ws:a' });
    off();
    expect(heard).toEqual([
      { name: 'system.setLanguage', ok: true, connectionId: 'ws:a' },
      { name: 'system.ping', ok: false, connectionId: 'ws:a', reason: 'session_busy' },
    ]);
  });
});
