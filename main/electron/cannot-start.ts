/**
 * When the core cannot start (an invalid configuration, a data folder it cannot write, a full disk…): count
 * the failure, show the "cannot start" page full screen in a locked-down window, and after the retry delay exit
 * so systemd starts a fresh process (or relaunch ourselves outside systemd) — see start-failures.ts for why a
 * fresh process rather than a second try in this one: a half-started core may hold the serial port and timers.
 *
 * The process stays up while the page shows, so the unit's Restart=always never spins; it keeps feeding the
 * systemd watchdog like a healthy kiosk (main.ts starts it before this can run).
 */
import { BrowserWindow, Menu, type BrowserWindowConstructorOptions } from 'electron';
import { createLogger } from '../../src/log/logger.js';
import { cannotStartUrl } from './cannot-start-page.js';
import { restartApp } from './restart.js';
import { describeStartFailure } from './start-failure-reason.js';
import { DEFAULT_START_RETRY, recordStartFailure, retryDelayMs, type StartRetryPolicy } from './start-failures.js';

const log = createLogger('electron.cannot-start');

export interface CannotStartOptions {
  /** Where the count of consecutive failures is kept (Electron's userData folder). */
  countDir: string;
  policy?: StartRetryPolicy;
}

export function cannotStartWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    fullscreen: true,
    frame: false,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#111111',
    webPreferences: {
      // No preload: this page talks to nothing. No JavaScript at all: it is text.
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    },
  };
}

/** Show the screen for `err` and schedule the next try. Returns the window (single-instance focuses it). */
export function showCannotStart(err: unknown, options: CannotStartOptions): BrowserWindow {
  const failure = describeStartFailure(err);
  const now = new Date();
  const count = recordStartFailure(options.countDir, failure.code, now);
  const delayMs = retryDelayMs(count, options.policy ?? DEFAULT_START_RETRY);
  log.error('the kiosk cannot start; showing the cannot-start screen', {
    code: failure.code,
    detail: failure.detail,
    consecutiveFailures: count.consecutive,
    countSaved: count.persisted,
    retryInMs: delayMs,
    stack: err instanceof Error ? err.stack : undefined,
  });

  Menu.setApplicationMenu(null);
  const win = new BrowserWindow(cannotStartWindowOptions());
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  const url = cannotStartUrl({ failure, attempt: count.consecutive, nextTryAt: new Date(now.getTime() + delayMs) });
  win.loadURL(url).catch((loadErr: unknown) => log.error('the cannot-start page did not load', { error: String(loadErr) }));

  setTimeout(() => restartApp(`trying again after a failed start (${failure.code})`), delayMs);
  return win;
}
