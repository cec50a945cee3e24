import { EventEmitter } from 'node:events';
import { refusalOf } from '../../../src/contract/errors.js';
import { describe, expect, it, vi } from 'vitest';
import { createKioskApi } from '../../../main/preload/kiosk-api.js';
import { IPC_COMMAND, IPC_EVENT, IPC_READY } from '../../../main/preload/channels.js';
import { commands, events } from '../../../src/contract/index.js';

function setup(invokeReply: unknown = { type: 'reply', id: 1, ok: true, result: { at: 5 } }) {
  const ipc = Object.assign(new EventEmitter(), { invoke: vi.fn(async () => invokeReply), send: vi.fn() });
  const api = createKioskApi(ipc, { commands: Object.keys(commands), events: Object.keys(events) });
  const push = (message: unknown) => ipc.emit(IPC_EVENT, {}, message);
  return { ipc, api, push };
}

describe('createKioskApi', () => {
  it('sends a contract command as a wire envelope and resolves with the result', async () => {
    const { ipc, api } = setup();
    await expect(api.call('system.ping', {})).resolves.toEqual({ at: 5 });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_COMMAND, { type: 'command', id: 1, name: 'system.ping', payload: {} });
  });

  it('numbers commands so replies can be told apart', async () => {
    const { ipc, api } = setup();
    await api.call('system.ping', {});
    await api.call('system.ping', {});
    expect(ipc.invoke.mock.calls.map((c) => (c as unknown[])[1])).toMatchObject([{ id: 1 }, { id: 2 }]);
  });

  it('refuses a name the contract does not declare without touching IPC', async () => {
    const { ipc, api } = setup();
    await expect(api.call('system.selfDestruct' as 'system.ping', {})).rejects.toThrow('"system.selfDestruct" is not a kiosk command');
    expect(ipc.invoke).not.toHaveBeenCalled();
    expect(() => api.on('system.nope' as 'system.status', () => {})).toThrow(/unknown event/);
  });

  it('rejects with the refusal code and the core’s detail in the message, as the WebSocket client does', async () => {
    const { api } = setup({ type: 'reply', id: 1, ok: false, error: { code: 'failed', reason: 'session_busy', message: 'machine busy' } });
    const err = await api.call('system.setLanguage', { language: 'id' }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('[session_busy] machine busy');
    expect(refusalOf(err)).toEqual({ reason: 'session_busy', detail: 'machine busy' });
  });

  it('rejects a missing or malformed reply instead of resolving undefined', async () => {
    await expect(setup(null).api.call('system.ping', {})).rejects.toThrow('system.ping: no reply from the kiosk core');
    await expect(setup({ nope: 1 }).api.call('system.ping', {})).rejects.toThrow('system.ping: no reply from the kiosk core');
  });

  it('delivers events to their listeners until unsubscribed, ignoring junk', () => {
    const { api, push } = setup();
    const seen: unknown[] = [];
    const off = api.on('system.language', (p) => seen.push(p));
    push({ type: 'event', name: 'system.language', payload: { language: 'en' } });
    push({ type: 'event', name: 'system.status', payload: {} });
    push('garbage');
    push(null);
    off();
    push({ type: 'event', name: 'system.language', payload: { language: 'id' } });
    expect(seen).toEqual([{ language: 'en' }]);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const { api, push } = setup();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    api.on('system.language', () => {
      throw new Error('screen bug');
    });
    api.on('system.language', good);
    push({ type: 'event', name: 'system.language', payload: { language: 'en' } });
    expect(good).toHaveBeenCalledWith({ language: 'en' });
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('signals readiness on its own channel and exposes nothing but call/on/ready', () => {
    const { ipc, api } = setup();
    api.ready();
    expect(ipc.send).toHaveBeenCalledWith(IPC_READY);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'ready']);
  });
});
