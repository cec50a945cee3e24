/**
 * When the core cannot start (an invalid configuration, a data folder it cannot write, a full disk…): count
 * the failure, show the "cannot start" page full screen in a locked-down window, and after the retry delay exit
 * so systemd starts a fresh process (or relaunch ourselves outside systemd) — see start-failures.ts for why a
 * fresh process rather than a second try in this one: a half-started core may hold the serial port and timers.
 *
 * The process stays up while the page shows, so the unit's Restart=always never spins; it keeps feeding the
 * systemd watchdog like a healthy kiosk (main.ts starts it before this can run).
 *
 * The page first says the checks are running; once `verdict` (the doctor's checks that need no core) settles, it
 * is loaded again with each failing row and its fix — within VERDICT_LIMIT_MS, or the page keeps the reason alone.
 */
import { BrowserWindow, Menu, type BrowserWindowConstructorOptions } from 'electron';
import { fail, type CheckResult } from '../../src/app/doctor/types.js';
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
  /** The doctor's verdict without a core (src/app/doctor/run-local-checks.ts); absent: the reason alone. */
  verdict?: () => Promise<CheckResult[]>;
}

const VERDICT_LIMIT_MS = 20_000;

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
  const view = { failure, attempt: count.consecutive, nextTryAt: new Date(now.getTime() + delayMs) };
  const load = (url: string) => win.loadURL(url).catch((loadErr: unknown) => log.error('the cannot-start page did not load', { error: String(loadErr) }));
  void load(cannotStartUrl(options.verdict ? { ...view, checks: 'running' } : view));
  if (options.verdict) void addVerdict(win, options.verdict, (checks) => load(cannotStartUrl({ ...view, checks })));

  setTimeout(() => restartApp(`trying again after a failed start (${failure.code})`), delayMs);
  return win;
}

/** Run the checks (bounded), log what they found, and show it; a check that throws never takes the page down. */
async function addVerdict(win: BrowserWindow, verdict: () => Promise<CheckResult[]>, show: (checks: CheckResult[]) => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const checks = await Promise.race([
      verdict(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the checks took longer than ${VERDICT_LIMIT_MS} ms`)), VERDICT_LIMIT_MS);
      }),
    ]);
    const found = checks.filter((c) => c.status === 'fail' || c.status === 'warn');
    log.error('doctor checks on the cannot-start screen', { found: found.map((c) => `${c.status} ${c.title}: ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ''}`) });
    if (!win.isDestroyed()) show(checks);
  } catch (err) {
    log.error('the doctor checks for the cannot-start screen failed', { error: err instanceof Error ? err.message : String(err) });
    if (!win.isDestroyed()) show([fail('doctor', 'doctor checks', err instanceof Error ? err.message : String(err), 'run rvm-kiosk doctor on this machine')]);
  } finally {
    clearTimeout(timer);
  }
}
