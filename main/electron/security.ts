/**
 * The kiosk's lock-down, following Electron's security checklist: no permission is ever granted (the kiosk
 * needs no camera/mic/geolocation from the page — the camera is read by the core), every response carries our
 * CSP, nothing is downloaded, and no web contents may navigate away, open windows or attach a <webview>.
 */
import type { App, Session, WebContents } from 'electron';
import { createLogger } from '../../src/log/logger.js';
import { isAppUrl } from './app-paths.js';
import { withKioskCsp } from '../kiosk-csp.js';

const log = createLogger('electron.security');

export function lockSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('denied a permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Covers anything not served by our app:// handler (which sets the header itself).
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withKioskCsp(details.responseHeaders) });
  });
  session.on('will-download', (event, item) => {
    event.preventDefault();
    log.warn('blocked a download', { url: item.getURL() });
  });
}

export function lockWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    // The renderer is a single page; even a same-origin navigation would drop the preload's event listeners.
    event.preventDefault();
    log.warn('blocked navigation', { url: event.url });
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('blocked redirect', { url: event.url });
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('blocked window.open', { url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
}

/** Applies lockWebContents to every web contents the app ever creates, including ones we did not ask for. */
export function lockAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => lockWebContents(contents));
}
