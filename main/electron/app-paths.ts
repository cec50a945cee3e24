/**
 * Where the shell finds its pieces. The renderer is served from a private `app://kiosk` origin instead of
 * file:// so that the CSP's 'self' means "our bundle" and nothing else on disk, and so the IPC sender check
 * has a real origin to compare against.
 */
import path from 'node:path';
import { app } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const KIOSK_URL = `${APP_ORIGIN}/index.html`;

/** The vite build of renderer/ (inside app.asar when packaged). */
export function rendererRoot(): string {
  return path.join(app.getAppPath(), 'dist', 'renderer');
}

/** The sandboxed preload, bundled to one CommonJS file by scripts/build-preload.ts. */
export function preloadPath(): string {
  return path.join(app.getAppPath(), 'dist', 'preload', 'preload.cjs');
}

export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}
