import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { registerAppScheme, resolveAppFile, serveRenderer } = await import('../../../main/electron/app-protocol.js');
const { KIOSK_CSP } = await import('../../../main/kiosk-csp.js');

const work = mkdtempSync(path.join(tmpdir(), 'rvm-app-protocol-'));
const root = path.join(work, 'renderer');
beforeAll(() => {
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(work, 'secret.json'), '{"api_key":"x"}');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(() => fake.reset());

describe('resolveAppFile', () => {
  it('maps app://kiosk paths into the renderer root', () => {
    expect(resolveAppFile('app://kiosk/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://kiosk/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://kiosk/assets/app.js?v=2#x', root)).toBe(path.join(root, 'assets', 'app.js'));
  });

  it.each([
    ['dot-dot segments (clamped at the root by URL parsing)', 'app://kiosk/../secret.json', 'secret.json'],
    ['encoded dot-dot segments (clamped too)', 'app://kiosk/%2e%2e/secret.json', 'secret.json'],
    ['encoded slashes climbing out', 'app://kiosk/..%2F..%2Fsecret.json', null],
    ['a NUL byte', 'app://kiosk/index.html%00.js', null],
    ['a malformed escape', 'app://kiosk/%E0%A4%A', null],
    ['another host', 'app://elsewhere/index.html', null],
    ['another scheme', 'file:///etc/passwd', null],
    ['garbage', 'not a url', null],
  ])('never leaves the root for %s', (_label, url, inside) => {
    expect(resolveAppFile(url, root)).toBe(inside === null ? null : path.join(root, inside));
  });
});

describe('serveRenderer', () => {
  beforeEach(() => {
    fake.net.fetch.mockImplementation(async (url: string) => {
      const body = await readFile(fileURLToPath(url));
      return new Response(body, { headers: { 'content-type': url.endsWith('.js') ? 'text/javascript' : 'text/html' } });
    });
    serveRenderer(root);
  });
  const handler = () => fake.protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
  const get = (url: string) => handler()({ url } as Request);

  it('serves renderer files with the kiosk CSP attached', async () => {
    expect(fake.protocol.handle.mock.calls[0]![0]).toBe('app');
    const response = await get('app://kiosk/assets/app.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log(1)');
    expect(response.headers.get('content-type')).toBe('text/javascript');
    expect(response.headers.get('content-security-policy')).toBe(KIOSK_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for paths outside the root without touching the disk', async () => {
    const response = await get('app://kiosk/..%2Fsecret.json');
    expect(response.status).toBe(404);
    expect(fake.net.fetch).not.toHaveBeenCalled();
  });

  it('answers 404 for a missing file', async () => {
    expect((await get('app://kiosk/nope.js')).status).toBe(404);
  });
});

it('registers app:// as a standard, secure scheme', () => {
  registerAppScheme();
  expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
    { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
  ]);
});
