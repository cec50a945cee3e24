/**
 * GPU mode for the Jetson, whose Chromium GPU process often fails on Tegra. The mode comes from config
 * (`ui.gpu`: auto | egl | off) and must be applied before the app is ready. Two failures switch the kiosk to
 * software rendering and persist that choice: a GPU process that dies while we run (relaunch at once), and a
 * start that died before the first paint (Chromium's fatal "GPU process isn't usable", seen at the next start).
 * A new app version or a changed `ui.gpu` setting tries the GPU again.
 */
import { app, type BrowserWindow } from 'electron';
import type { KioskConfig } from '../../src/app/config-schema.js';
import { createLogger } from '../../src/log/logger.js';
import { EMPTY_GPU_STATE, type GpuState, type GpuStateStore } from './gpu-state.js';
import { restartApp } from './restart.js';

const log = createLogger('electron.gpu');

export type GpuMode = KioskConfig['ui']['gpu'];

/** 'egl': ANGLE on the native OpenGL ES/EGL driver, and ignore Chromium's GPU blocklist (Tegra is on it). */
export const EGL_SWITCHES: ReadonlyArray<readonly [string, string?]> = [
  ['use-gl', 'angle'],
  ['use-angle', 'gles'],
  ['ignore-gpu-blocklist'],
];

export interface GpuDecision {
  hardware: boolean;
  reason: string;
  state: GpuState;
}

export function decideGpu(mode: GpuMode, previous: GpuState, appVersion: string): GpuDecision {
  const sameSetup = previous.mode === mode && previous.appVersion === appVersion;
  const state: GpuState = sameSetup ? { ...previous } : { ...EMPTY_GPU_STATE, mode, appVersion };
  if (mode === 'off') return { hardware: false, reason: 'ui.gpu is off', state: { ...state, pendingGpuStart: false } };
  if (state.softwareFallback) return { hardware: false, reason: `software fallback: ${state.reason}`, state };
  if (state.pendingGpuStart) {
    const reason = 'the last start with the GPU died before the first paint';
    return { hardware: false, reason, state: { ...state, softwareFallback: true, reason, pendingGpuStart: false } };
  }
  return { hardware: true, reason: `ui.gpu is ${mode}`, state };
}

export function applyGpuSwitches(mode: GpuMode, hardware: boolean, platform: NodeJS.Platform = process.platform): void {
  // Wayland sessions on Jetson images are unreliable for Chromium; X11 is what the GPU drivers are tested on.
  if (platform === 'linux') app.commandLine.appendSwitch('ozone-platform', 'x11');
  if (!hardware) {
    app.disableHardwareAcceleration();
    return;
  }
  if (mode !== 'egl') return;
  for (const [name, value] of EGL_SWITCHES) {
    // A flag switch is passed without a value argument at all, not with `undefined`.
    if (value === undefined) app.commandLine.appendSwitch(name);
    else app.commandLine.appendSwitch(name, value);
  }
}

export interface GpuGuard {
  readonly decision: GpuDecision;
  /** Call right before creating the window: from here until the first paint a death counts against the GPU. */
  watchFirstPaint(win: BrowserWindow): void;
}

/** Decide, apply (before app ready) and watch for GPU-process crashes. */
export function setupGpu(mode: GpuMode, store: GpuStateStore, platform: NodeJS.Platform = process.platform): GpuGuard {
  const decision = decideGpu(mode, store.read(), app.getVersion());
  let state = decision.state;
  store.write(state);
  applyGpuSwitches(mode, decision.hardware, platform);
  log.info('GPU mode', { mode, hardware: decision.hardware, reason: decision.reason });

  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'GPU' || details.reason === 'clean-exit') return;
    log.error('GPU process gone', { reason: details.reason, exitCode: details.exitCode, hardware: decision.hardware });
    if (!decision.hardware) return; // already in software mode: a restart would change nothing
    state = { ...state, softwareFallback: true, reason: `GPU process ${details.reason} (exit ${details.exitCode})`, pendingGpuStart: false };
    store.write(state);
    restartApp('falling back to software rendering after a GPU process crash');
  });

  return {
    decision,
    watchFirstPaint(win) {
      if (!decision.hardware) return;
      state = { ...state, pendingGpuStart: true };
      store.write(state);
      win.once('ready-to-show', () => {
        state = { ...state, pendingGpuStart: false };
        store.write(state);
      });
    },
  };
}
