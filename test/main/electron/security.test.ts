import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession, FakeWebContents } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { lockAllWebContents, lockSession, lockWebContents } = await import('../../../main/electron/security.js');
const { KIOSK_CSP } = await import('../../../main/kiosk-csp.js');

beforeEach(() => fake.reset());

/** What Electron passes to navigation listeners: the target URL on a preventable event. */
const navEvent = (url: string) => ({ url, preventDefault: vi.fn() });

describe('lockSession', () => {
  let session: ReturnType<typeof createFakeSession>;
  beforeEach(() => {
    session = createFakeSession();
    lockSession(session as never);
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen'])('denies a %s permission request', (permission) => {
    const callback = vi.fn();
    session.stored.permissionRequest!({}, permission, callback, {});
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('answers every permission check with no', () => {
    expect(session.stored.permissionCheck!({}, 'media', 'app://kiosk', {})).toBe(false);
    expect(session.stored.permissionCheck!(null, 'hid', 'app://kiosk', {})).toBe(false);
  });

  it('puts the kiosk CSP on responses, replacing any policy they brought', () => {
    const callback = vi.fn();
    session.stored.headers!({ responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } }, callback);
    const { responseHeaders } = callback.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> };
    expect(responseHeaders).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [KIOSK_CSP] });
    expect(KIOSK_CSP).toContain("script-src 'self'");
    expect(KIOSK_CSP).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('cancels downloads', () => {
    const event = { preventDefault: vi.fn() };
    session.emit('will-download', event, { getURL: () => 'https://x.example/file.exe' });
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('lockWebContents', () => {
  let contents: FakeWebContents;
  beforeEach(() => {
    contents = new FakeWebContents();
    lockWebContents(contents as never);
  });

  it.each(['https://evil.example/', 'file:///etc/passwd', 'app://kiosk/other.html'])('blocks navigation to %s', (url) => {
    const event = navEvent(url);
    contents.emit('will-navigate', event, url);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('blocks redirects away from the app origin but not within it', () => {
    const away = navEvent('https://evil.example/');
    const inside = navEvent('app://kiosk/index.html');
    contents.emit('will-redirect', away, away.url);
    contents.emit('will-redirect', inside, inside.url);
    expect(away.preventDefault).toHaveBeenCalled();
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every new window', () => {
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

it('locks every web contents the app creates', () => {
  lockAllWebContents(fake.app as never);
  const contents = new FakeWebContents();
  fake.app.emit('web-contents-created', {}, contents);
  expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  const event = navEvent('https://evil.example/');
  contents.emit('will-navigate', event);
  expect(event.preventDefault).toHaveBeenCalled();
  expect(EventEmitter.listenerCount(contents, 'will-redirect')).toBe(1);
});
