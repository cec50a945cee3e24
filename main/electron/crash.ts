/**
 * Brings the kiosk page back after its renderer dies (crash, OOM, killed) or hangs. A hung page is crashed on
 * purpose after a grace period so both cases take the same road: render-process-gone → reload, paced by the
 * crash-loop guard.
 */
import type { BrowserWindow } from 'electron';
import { createLogger } from '../../src/log/logger.js';
import { CrashLoopGuard } from './crash-loop-guard.js';

const log = createLogger('electron.crash');

export interface CrashRecoveryOptions {
  guard?: CrashLoopGuard;
  /** How long a page may stay unresponsive before it is crashed and reloaded. */
  hangGraceMs?: number;
  schedule?: (fn: () => void, ms: number) => unknown;
  cancel?: (handle: unknown) => void;
}

export function setupCrashRecovery(win: BrowserWindow, options: CrashRecoveryOptions = {}): void {
  const guard = options.guard ?? new CrashLoopGuard();
  const hangGraceMs = options.hangGraceMs ?? 30_000;
  const schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
  const cancel = options.cancel ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  const contents = win.webContents;

  contents.on('render-process-gone', (_event, details) => {
    const delayMs = guard.recordCrash();
    log.error('kiosk page renderer gone; reloading', {
      reason: details.reason,
      exitCode: details.exitCode,
      recentCrashes: guard.recentCrashes,
      delayMs,
    });
    schedule(() => {
      if (!win.isDestroyed()) contents.reload();
    }, delayMs);
  });

  let hangTimer: unknown = null;
  win.on('unresponsive', () => {
    log.warn('kiosk page unresponsive', { graceMs: hangGraceMs });
    hangTimer ??= schedule(() => {
      hangTimer = null;
      if (!win.isDestroyed()) contents.forcefullyCrashRenderer();
    }, hangGraceMs);
  });
  win.on('responsive', () => {
    if (hangTimer !== null) cancel(hangTimer);
    hangTimer = null;
  });
}
