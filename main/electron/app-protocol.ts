/**
 * Serves the built renderer on app://kiosk/. Each request is mapped to a file under the renderer root (never
 * outside it) and answered with the kiosk CSP attached, which a file:// page could not get from a header.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { createLogger } from '../../src/log/logger.js';
import { APP_SCHEME, isAppUrl } from './app-paths.js';
import { KIOSK_CSP } from '../kiosk-csp.js';

const log = createLogger('electron.protocol');

/** Before app ready: a standard + secure scheme gets a real origin, fetch support and a secure context. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** The file an app:// URL names under `root`, or null for other origins and any path escaping the root. */
export function resolveAppFile(url: string, root: string): string | null {
  if (!isAppUrl(url)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // malformed %-escape
  }
  if (relative.includes('\0')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${relative === '/' ? '/index.html' : relative}`);
  return file.startsWith(base + path.sep) ? file : null;
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, root);
    if (!file) {
      log.warn('refused an app:// request outside the renderer', { url: request.url });
      return new Response('not found', { status: 404 });
    }
    try {
      const upstream = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(upstream.headers);
      headers.set('Content-Security-Policy', KIOSK_CSP);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(upstream.body, { status: upstream.status, headers });
    } catch (err) {
      log.warn('renderer file not found', { file, error: String(err) });
      return new Response('not found', { status: 404 });
    }
  });
}
