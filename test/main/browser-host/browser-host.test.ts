/**
 * The browser host over loopback. It serves a tiny renderer folder this file writes to a temp dir, never the
 * built dist/renderer, so the unit run needs no build (the real page is covered by the e2e project).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KioskCore } from '../../../src/core/kiosk-core.js';
import { onLog } from '../../../src/log/logger.js';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/browser-host.js';

/** A stand-in for the built renderer: an index page, one script, and a secret next to (outside) the folder. */
function fixtureRenderer(): { work: string; root: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'rvm-browser-host-'));
  const root = path.join(work, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("kiosk");');
  writeFileSync(path.join(work, 'secret.json'), '{"api_key":"x"}');
  return { work, root };
}

/** A WebSocket as the kiosk page opens it: Origin is the page's own (the host's), unless a test says otherwise. */
function open(url: string, headers: Record<string, string> = { Origin: new URL(url).origin.replace(/^ws/, 'http') }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>)));
}

describe('browser host', () => {
  const renderer = fixtureRenderer();
  let core: KioskCore;
  let host: BrowserHost;
  let wsUrl: string;

  beforeAll(async () => {
    core = new KioskCore();
    core.handle('system.ping', () => ({ at: 1 }));
    core.emit('system.language', { language: 'id' });
    host = await startBrowserHost({ core, rendererDir: renderer.root });
    wsUrl = host.url.replace('http', 'ws') + 'kiosk';
  });
  afterAll(async () => {
    await host?.close();
    rmSync(renderer.work, { recursive: true, force: true });
  });

  it('answers a wrong-shaped message with a clear error and keeps serving', async () => {
    const ws = await open(wsUrl);
    ws.send('{not json');
    expect(await nextMessage(ws)).toMatchObject({ type: 'reply', ok: false, error: { code: 'bad_message' } });
    ws.send(JSON.stringify({ type: 'command', id: 1, name: 'system.ping', payload: { extra: true } }));
    const invalid = await nextMessage(ws);
    expect(invalid).toMatchObject({ id: 1, ok: false, error: { code: 'invalid_request' } });
    expect(String((invalid.error as { message: string }).message)).toContain('extra');
    ws.send(JSON.stringify({ type: 'command', id: 2, name: 'system.ping', payload: {} }));
    expect(await nextMessage(ws)).toEqual({ type: 'reply', id: 2, ok: true, result: { at: 1 } });
    ws.close();
  });

  it('replays the latest state after ready, then pushes live events', async () => {
    const ws = await open(wsUrl);
    ws.send(JSON.stringify({ type: 'ready' }));
    expect(await nextMessage(ws)).toEqual({ type: 'event', name: 'system.language', payload: { language: 'id' } });
    core.emit('system.language', { language: 'en' });
    expect(await nextMessage(ws)).toEqual({ type: 'event', name: 'system.language', payload: { language: 'en' } });
    ws.close();
  });

  it('refuses WebSocket upgrades from another origin, for another host name, or without an Origin', async () => {
    const port = new URL(host.url).port;
    await expect(open(wsUrl, { Origin: 'http://evil.example' })).rejects.toThrow('403');
    await expect(open(wsUrl, { Origin: `http://evil.example:${port}` })).rejects.toThrow('403');
    await expect(open(wsUrl, { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` })).rejects.toThrow('403');
    await expect(open(wsUrl, { Host: 'evil.example' })).rejects.toThrow('403');
    await expect(open(wsUrl, {})).rejects.toThrow('403'); // no Origin: not a browser page
    await expect(open(wsUrl, { Origin: 'null' })).rejects.toThrow('403');
    await expect(open(wsUrl, { Origin: `http://localhost:${port}` })).rejects.toThrow('403'); // not this Host
    (await open(wsUrl.replace('127.0.0.1', 'localhost'), { Origin: `http://localhost:${port}` })).close();
  });

  it('refuses HTTP requests for another host name', async () => {
    const port = new URL(host.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { Host: `rebound.evil.example:${port}` } }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it('serves the renderer with a CSP and refuses paths outside it', async () => {
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<div id="root">');
    const script = await fetch(`${host.url}assets/app.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await fetch(`${host.url}assets/missing.js`)).status).toBe(404);
    const escape = await fetch(`${host.url}..%2fsecret.json`);
    expect([403, 404]).toContain(escape.status);
    expect(await escape.text()).not.toContain('api_key');
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
  });
});

describe('browser host bound to every interface (ui.host 0.0.0.0, a remote screen)', () => {
  const renderer = fixtureRenderer();
  const hosts: BrowserHost[] = [];
  const warnings: string[] = [];
  const stopLog = onLog((level, scope, message) => {
    if (level === 'warn' && scope === 'browser-host') warnings.push(message);
  });

  afterAll(async () => {
    stopLog();
    for (const h of hosts) await h.close();
    rmSync(renderer.work, { recursive: true, force: true });
  });

  async function start(allowedHosts?: string[]): Promise<{ wsUrl: string; port: string }> {
    const core = new KioskCore();
    core.handle('system.ping', () => ({ at: 1 }));
    const h = await startBrowserHost({ core, rendererDir: renderer.root, host: '0.0.0.0', ...(allowedHosts ? { allowedHosts } : {}) });
    hosts.push(h);
    const port = new URL(h.url).port;
    return { wsUrl: `ws://127.0.0.1:${port}/kiosk`, port };
  }

  it('still refuses a rebinding Host, accepts loopback, and says at start that only loopback is allowed', async () => {
    const { wsUrl, port } = await start();
    await expect(open(wsUrl, { Host: `rebound.evil.example:${port}`, Origin: `http://rebound.evil.example:${port}` })).rejects.toThrow('403');
    await expect(open(wsUrl, { Host: `192.168.1.20:${port}`, Origin: `http://192.168.1.20:${port}` })).rejects.toThrow('403');
    await expect(open(wsUrl, { Host: `127.0.0.1:${port}` })).rejects.toThrow('403'); // no Origin
    const ws = await open(wsUrl);
    ws.send(JSON.stringify({ type: 'command', id: 1, name: 'system.ping', payload: {} }));
    expect(await nextMessage(ws)).toMatchObject({ id: 1, ok: true });
    ws.close();
    expect(warnings.some((w) => w.includes('ui.allowedHosts is empty'))).toBe(true);
    expect(hosts[0]!.url).toBe(`http://127.0.0.1:${port}/`); // what a local browser opens: 0.0.0.0 is no name we serve as
  });

  it('accepts the names an installer listed in ui.allowedHosts, and nothing else', async () => {
    const { wsUrl, port } = await start(['kiosk-rvm.local', '192.168.1.20']);
    for (const name of ['kiosk-rvm.local', '192.168.1.20']) {
      (await open(wsUrl, { Host: `${name}:${port}`, Origin: `http://${name}:${port}` })).close();
    }
    await expect(open(wsUrl, { Host: `kiosk-rvm.local.evil.example:${port}`, Origin: `http://kiosk-rvm.local.evil.example:${port}` })).rejects.toThrow('403');
    await expect(open(wsUrl, { Host: `kiosk-rvm.local:${port}`, Origin: 'http://evil.example' })).rejects.toThrow('403');
  });
});

