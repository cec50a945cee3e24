/**
 * One kiosk per machine: two instances would fight over the serial port and the outbox. A second start (an
 * installer double-clicking the AppImage, a stray autostart) hands over to the first, which comes to the front.
 */
import { app, type BrowserWindow } from 'electron';
import { createLogger } from '../../src/log/logger.js';

const log = createLogger('electron.instance');

/** Returns false when another instance holds the lock; this one is then quitting. */
export function claimSingleInstance(getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    log.warn('another kiosk instance is running; leaving it in charge');
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    log.info('a second instance was started; focusing the kiosk window');
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
