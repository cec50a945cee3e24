/**
 * The Electron GPU mode: `ui.gpu` from the configuration, and whether the shell's GPU guard has fallen back to
 * software rendering after a GPU failure (it records that in gpu-state.json, see docs/deployment.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ok, warn, type CheckResult, type DoctorContext } from './types.js';

const ID = 'gpu';
const TITLE = 'GPU mode';
const MEANING = { auto: 'Chromium decides', egl: 'forced ANGLE on GLES/EGL', off: 'software rendering' } as const;

export function checkGpu({ config, sources }: DoctorContext, gpuStateFile: string | null): CheckResult {
  const mode = config.ui.gpu;
  const from = sources.origins.get('ui.gpu') ?? 'defaults';
  const base = `ui.gpu = ${mode} (${MEANING[mode]}; from ${from})`;
  if (!gpuStateFile || !existsSync(gpuStateFile)) return ok(ID, TITLE, `${base}; no GPU failure recorded`);
  let state: { softwareFallback?: unknown; reason?: unknown; mode?: unknown } = {};
  try {
    state = JSON.parse(readFileSync(gpuStateFile, 'utf8')) as typeof state;
  } catch {
    return ok(ID, TITLE, `${base}; ${gpuStateFile} unreadable (counts as no history)`);
  }
  if (state.softwareFallback === true && state.mode === mode && mode !== 'off') {
    return warn(ID, TITLE, `${base}, but running in software since a GPU failure: ${String(state.reason ?? 'unknown')}`, `to try the GPU again: systemctl --user stop rvm-kiosk; rm "${gpuStateFile}"; systemctl --user start rvm-kiosk (or try ui.gpu = "egl")`);
  }
  return ok(ID, TITLE, `${base}; no GPU fallback in effect`);
}
