/**
 * The kiosk window: fullscreen, frameless, in kiosk mode, shown only once the first frame is painted (no white
 * flash), with the renderer sandboxed and isolated from Node and the preload. The application menu is removed so
 * its default accelerators (reload, devtools, zoom) are gone too.
 */
import { BrowserWindow, Menu, type BrowserWindowConstructorOptions } from 'electron';
import { createLogger } from '../../src/log/logger.js';
import { KIOSK_URL } from './app-paths.js';

const log = createLogger('electron.window');

export function kioskWindowOptions(preload: string, devTools = false): BrowserWindowConstructorOptions {
  return {
    show: false,
    fullscreen: true,
    frame: false,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
      // A kiosk is never "in the background"; timers (clock, session timeouts) must keep their pace.
      backgroundThrottling: false,
    },
  };
}

export interface KioskWindowOptions {
  preload: string;
  /** Only for development (RVM_DEVTOOLS=1); a deployed kiosk has no devtools at all. */
  devTools?: boolean;
}

export function createKioskWindow({ preload, devTools = false }: KioskWindowOptions): BrowserWindow {
  Menu.setApplicationMenu(null);
  const win = new BrowserWindow(kioskWindowOptions(preload, devTools));
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  win.loadURL(KIOSK_URL).catch((err: unknown) => {
    // Usually a missing renderer build; crash recovery cannot fix that, so say it plainly.
    log.error('the kiosk page did not load (is dist/renderer built?)', { url: KIOSK_URL, error: String(err) });
  });
  return win;
}
