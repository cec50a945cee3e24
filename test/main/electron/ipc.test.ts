import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskCore } from '../../../src/core/kiosk-core.js';
import { onLog } from '../../../src/log/logger.js';
import { FakeBrowserWindow, FakeFrame } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { setupIpc } = await import('../../../main/electron/ipc.js');
const { IPC_COMMAND, IPC_EVENT, IPC_READY } = await import('../../../main/preload/channels.js');

let win: FakeBrowserWindow;
let core: KioskCore;
let teardown: () => void;
let warnings: string[];
let stopLog: () => void;

beforeEach(() => {
  fake.reset();
  win = new FakeBrowserWindow({});
  core = new KioskCore();
  core.handle('system.ping', () => ({ at: 1234 }));
  teardown = setupIpc(win as never, core);
  warnings = [];
  stopLog = onLog((level, scope, message) => {
    if (level === 'warn' && scope === 'electron.ipc') warnings.push(message);
  });
});
afterEach(() => {
  teardown();
  stopLog();
});

const ping = { type: 'command', id: 'a1', name: 'system.ping', payload: {} };
const sentEvents = () => win.webContents.send.mock.calls.filter(([channel]) => channel === IPC_EVENT).map(([, m]) => m);
const sayReady = (frame?: FakeFrame) => fake.ipcMain.emit(IPC_READY, win.webContents.ipcEvent(frame));
const accepting = { accepting: true, reason: null };
const status = (state: 'ready' | 'busy') => ({ state, reasons: [], notices: [], materials: { pet: accepting, can: accepting, glass: accepting }, demoMode: true, machineName: 'T' });

describe('rvm:command', () => {
  it('forwards a command from the kiosk main frame to the core and returns its reply', async () => {
    const reply = await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), ping);
    expect(reply).toEqual({ type: 'reply', id: 'a1', ok: true, result: { at: 1234 } });
  });

  it('answers a wrongly shaped message with the core’s error reply', async () => {
    const reply = await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), { name: 42 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_message' } });
  });

  const foreign: Array<[string, () => unknown]> = [
    ['another web contents', () => new FakeBrowserWindow({}).webContents.ipcEvent()],
    ['a sub-frame of the kiosk page', () => win.webContents.ipcEvent(new FakeFrame(win.webContents.mainFrame.processId, 99, 'app://kiosk/x.html'))],
    ['the main frame after it left our origin', () => {
      win.webContents.mainFrame.url = 'https://evil.example/';
      return win.webContents.ipcEvent();
    }],
    ['a frame that is already gone', () => ({ sender: win.webContents, senderFrame: null })],
  ];
  it.each(foreign)('drops a command from %s with a log line and never reaches the core', async (_label, makeEvent) => {
    const dispatch = vi.spyOn(core, 'dispatch');
    const reply = await fake.ipcMain.invoke(IPC_COMMAND, makeEvent(), ping);
    expect(reply).toMatchObject({ ok: false, id: null, error: { code: 'bad_message' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(warnings).toContain('dropped a command from a foreign frame');
  });
});

describe('one window, one connection', () => {
  it('sends every command as this window’s connection, another window as another one', async () => {
    const dispatch = vi.spyOn(core, 'dispatch');
    await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), ping);
    win.webContents.emit('did-start-loading'); // a reload keeps the window, so the connection and its rights
    await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), ping);
    teardown();
    const other = new FakeBrowserWindow({});
    teardown = setupIpc(other as never, core);
    await fake.ipcMain.invoke(IPC_COMMAND, other.webContents.ipcEvent(), ping);
    const ids = dispatch.mock.calls.map(([, options]) => options?.connectionId);
    expect(ids[0]).toMatch(/^electron-window:/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).toMatch(/^electron-window:/);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('gives technician rights to the window that entered the PIN and ends them when the window closes', async () => {
    core.handle('hardware.test', ({ action }) => ({ action, ok: true, roundTripMs: 1, detail: 'ok' }));
    let owner: string | null = null;
    core.setTechnicianCheck(({ connectionId }) => connectionId !== null && connectionId === owner);
    core.handle('maintenance.status', (_request, { connectionId }) => {
      owner = connectionId; // stands in for maintenance.enter
      return { active: true, technicianName: 'Budi', lockedUntil: null, remainingAttempts: null, autoExitAt: null, permissions: null };
    });
    const closed: string[] = [];
    core.onConnectionClosed((id) => closed.push(id));
    const test = { type: 'command', id: 't', name: 'hardware.test', payload: { action: 'ping' } };
    expect(await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), test)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), { type: 'command', id: 's', name: 'maintenance.status', payload: {} });
    expect(await fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), test)).toMatchObject({ ok: true });
    win.emit('closed');
    expect(closed).toEqual([owner]);
    expect(fake.ipcMain.handlers.has(IPC_COMMAND)).toBe(false);
    teardown(); // the window's own teardown after that changes nothing
    expect(closed).toHaveLength(1);
  });
});

describe('rvm:event', () => {
  it('holds events until the page is ready, then replays the state in order and goes live', () => {
    core.emit('system.language', { language: 'en' });
    core.emit('system.status', status('ready'));
    core.emit('system.language', { language: 'id' });
    expect(sentEvents()).toEqual([]);

    sayReady();
    expect(sentEvents()).toEqual([
      { type: 'event', name: 'system.status', payload: status('ready') },
      { type: 'event', name: 'system.language', payload: { language: 'id' } },
    ]);

    core.emit('system.status', status('busy'));
    expect(sentEvents().at(-1)).toEqual({ type: 'event', name: 'system.status', payload: status('busy') });
  });

  it('replays state from before the window existed', () => {
    const earlyCore = new KioskCore();
    earlyCore.emit('system.language', { language: 'en' });
    const other = new FakeBrowserWindow({});
    const stop = setupIpc(other as never, earlyCore);
    fake.ipcMain.emit(IPC_READY, other.webContents.ipcEvent());
    expect(other.webContents.send).toHaveBeenCalledWith(IPC_EVENT, { type: 'event', name: 'system.language', payload: { language: 'en' } });
    stop();
  });

  it('ignores a ready signal from a foreign frame', () => {
    core.emit('system.language', { language: 'en' });
    fake.ipcMain.emit(IPC_READY, new FakeBrowserWindow({}).webContents.ipcEvent());
    expect(sentEvents()).toEqual([]);
    expect(warnings).toContain('dropped a ready signal from a foreign frame');
  });

  it('holds events again while the page reloads, then brings the new page up to date', () => {
    sayReady();
    win.webContents.emit('did-start-loading');
    win.webContents.send.mockClear();
    core.emit('system.language', { language: 'en' });
    expect(sentEvents()).toEqual([]);
    sayReady();
    expect(sentEvents()).toEqual([{ type: 'event', name: 'system.language', payload: { language: 'en' } }]);
  });

  it('stops sending once the teardown ran', () => {
    sayReady();
    teardown();
    core.emit('system.language', { language: 'en' });
    expect(sentEvents()).toEqual([]);
    expect(fake.ipcMain.handlers.has(IPC_COMMAND)).toBe(false);
  });
});
