/**
 * Is the Electron runtime really here? The electron npm package downloads its binary lazily on first
 * require(), which fails offline and throws, so we look for the unpacked binary instead of requiring it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function findElectronBinary(root: string): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** A browser to show the kiosk in when Electron is missing: Debian's Chromium first. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.RVM_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c): c is string => Boolean(c && existsSync(c))) ?? null;
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
