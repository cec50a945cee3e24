/**
 * The entry as a whole, against the fake Electron: what runs before ready, then the onReady list, then a
 * command and an event through the real IPC bridge to a real core. createKiosk is replaced by a bare core so the
 * test does not start the simulators.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src/core/event-bus.js';
import { KioskCore } from '../../../src/core/kiosk-core.js';
import type { KioskEvents } from '../../../src/domain/events.js';
import { setLogLevel } from '../../../src/log/logger.js';
import { eventually } from '../../helpers/eventually.js';
import { FakeBrowserWindow, FakeFrame } from '../../helpers/electron-mock.js';

const { fake, fakeLog, argvBefore } = await vi.hoisted(async () => {
  const argvBefore = process.argv;
  // What the packaged executable sees under deploy/rvm-kiosk.service: Chromium switches, no command (= start).
  process.argv = ['/opt/rvm/current/rvm-kiosk', '--ozone-platform=x11', '--password-store=basic'];
  const { createElectronFake } = await import('../../helpers/electron-mock.js');
  const scoped = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const fakeLog = {
    transports: { file: { level: 'silly', maxSize: 0 } },
    errorHandler: { startCatching: vi.fn() },
    scope: vi.fn(() => scoped),
    scoped,
  };
  return { fake: createElectronFake(), fakeLog, argvBefore };
});
vi.mock('electron', () => fake.module);
vi.mock('electron-log/main', () => ({ default: fakeLog }));
vi.mock('../../../src/app/create-kiosk.js', () => ({ createKiosk: vi.fn() }));

const { createKiosk } = await import('../../../src/app/create-kiosk.js');
const { IPC_COMMAND, IPC_EVENT, IPC_READY } = await import('../../../main/preload/channels.js');

const core = new KioskCore();
core.handle('system.ping', () => ({ at: 99 }));
const sigtermBefore = new Set(process.listeners('SIGTERM'));
let win: FakeBrowserWindow;

beforeAll(async () => {
  vi.stubEnv('RVM__ui__gpu', 'egl');
  setLogLevel('info'); // what the packaged app logs (tests default to warn)
  vi.mocked(createKiosk).mockResolvedValue({ core, bus: new EventBus<KioskEvents>(), demoMode: true } as never);
  await import('../../../main/electron/main.js');
  await eventually(() => expect(FakeBrowserWindow.instances).toHaveLength(1), { what: 'the kiosk window' });
  win = FakeBrowserWindow.instances[0]!;
});
afterAll(() => {
  process.argv = argvBefore;
  for (const listener of process.listeners('SIGTERM')) if (!sigtermBefore.has(listener)) process.off('SIGTERM', listener);
  vi.unstubAllEnvs();
  setLogLevel('warn');
  fake.cleanup();
});

describe('before the app is ready', () => {
  const before = (fn: { mock: { invocationCallOrder: number[] } }) =>
    expect(fn.mock.invocationCallOrder[0]).toBeLessThan(fake.app.whenReady.mock.invocationCallOrder[0]!);

  it('takes the single-instance lock, registers app:// and applies the configured GPU mode', () => {
    before(fake.app.requestSingleInstanceLock);
    before(fake.protocol.registerSchemesAsPrivileged);
    before(fake.app.commandLine.appendSwitch);
    const switches = fake.app.commandLine.appendSwitch.mock.calls.map((c) => c[0]);
    expect(switches).toContain('use-angle'); // ui.gpu = egl from the environment
    expect(fake.app.disableHardwareAcceleration).not.toHaveBeenCalled();
  });

  it('routes the core’s log lines into electron-log with rotation and no error dialogs', () => {
    expect(fakeLog.transports.file.maxSize).toBe(5 * 1024 * 1024);
    expect(fakeLog.errorHandler.startCatching).toHaveBeenCalledWith({ showDialog: false });
    expect(fakeLog.scope).toHaveBeenCalledWith('electron.gpu');
    expect(fakeLog.scoped.info).toHaveBeenCalledWith('GPU mode', expect.objectContaining({ mode: 'egl', hardware: true }));
  });
});

describe('once ready', () => {
  it('starts the core with the demo counted as chosen in a source checkout (a packaged app with no server set shows setup)', () => {
    expect(fake.app.isPackaged).toBe(false);
    expect(vi.mocked(createKiosk)).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ demoChosen: true }));
  });

  it('locks the session, serves the renderer and keeps the display awake', () => {
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(fake.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
  });

  it('opens the sandboxed kiosk window with the bundled preload on app://kiosk', () => {
    expect(win.options.webPreferences).toMatchObject({ preload: '/opt/rvm/app/dist/preload/preload.cjs', sandbox: true });
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
    expect(win.webContents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
    expect(win.webContents.listenerCount('render-process-gone')).toBeGreaterThan(0);
  });

  it('carries commands from the kiosk page to the core and refuses other frames', async () => {
    const ping = { type: 'command', id: 3, name: 'system.ping', payload: {} };
    await expect(fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(), ping)).resolves.toMatchObject({ ok: true, result: { at: 99 } });
    const subFrame = new FakeFrame(win.webContents.mainFrame.processId, 42, 'app://kiosk/index.html');
    await expect(fake.ipcMain.invoke(IPC_COMMAND, win.webContents.ipcEvent(subFrame), ping)).resolves.toMatchObject({ ok: false });
  });

  it('pushes core events once the page says ready', () => {
    core.emit('system.language', { language: 'en' });
    expect(win.webContents.send).not.toHaveBeenCalled();
    fake.ipcMain.emit(IPC_READY, win.webContents.ipcEvent());
    expect(win.webContents.send).toHaveBeenCalledWith(IPC_EVENT, { type: 'event', name: 'system.language', payload: { language: 'en' } });
  });

  it('brings its window forward when a second instance starts', () => {
    fake.app.emit('second-instance', {}, [], '/');
    expect(win.focus).toHaveBeenCalled();
  });
});
