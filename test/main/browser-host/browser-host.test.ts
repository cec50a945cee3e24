/**
 * The browser host over loopback. It serves a tiny renderer folder this file writes to a temp dir, never the
 * built dist/renderer, so the unit run needs no build (the real page is covered by the e2e project).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KioskCore } from '../../../src/core/kiosk-core.js';
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

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
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

  it('refuses WebSocket upgrades from another origin or another host name', async () => {
    await expect(open(wsUrl, { Origin: 'http://evil.example' })).rejects.toThrow('403');
    await expect(open(wsUrl, { Host: 'evil.example' })).rejects.toThrow('403');
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
