import { beforeEach, describe, expect, it, vi } from 'vitest';
import { onLog } from '../../../src/log/logger.js';
import { eventually } from '../../helpers/eventually.js';
import { FakeBrowserWindow } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { createKioskWindow, kioskWindowOptions } = await import('../../../main/electron/window.js');

beforeEach(() => fake.reset());

describe('kioskWindowOptions', () => {
  const options = kioskWindowOptions('/app/dist/preload/preload.cjs');

  it('sandboxes the renderer and isolates it from Node and the preload', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('is a hidden-until-painted, fullscreen, frameless kiosk window', () => {
    expect(options).toMatchObject({ show: false, fullscreen: true, frame: false, kiosk: true });
  });
});

describe('createKioskWindow', () => {
  it('loads the app origin, drops the menu and shows the window only on ready-to-show', () => {
    const win = createKioskWindow({ preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    expect(win).toBeInstanceOf(FakeBrowserWindow);
    expect(win.options.webPreferences.sandbox).toBe(true);
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledOnce();
    expect(win.focus).toHaveBeenCalled();
  });

  it('logs instead of crashing when the page cannot load', async () => {
    const errors: string[] = [];
    const stop = onLog((level, _scope, message) => void (level === 'error' && errors.push(message)));
    FakeBrowserWindow.loadFailure = new Error('ERR_FILE_NOT_FOUND');
    createKioskWindow({ preload: '/p.cjs' });
    await eventually(() => expect(errors).toContain('the kiosk page did not load (is dist/renderer built?)'), { what: 'the load failure to be logged' });
    stop();
  });
});
