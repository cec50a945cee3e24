import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KioskCore } from '../../../src/core/kiosk-core.js';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/browser-host.js';
import { rendererDir } from '../../../main/project-paths.js';

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
  let core: KioskCore;
  let host: BrowserHost;
  let wsUrl: string;

  beforeAll(async () => {
    core = new KioskCore();
    core.handle('system.ping', () => ({ at: 1 }));
    core.emit('system.language', { language: 'id' });
    host = await startBrowserHost({ core, rendererDir: rendererDir() });
    wsUrl = host.url.replace('http', 'ws') + 'kiosk';
  });
  afterAll(() => host.close());

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
    expect(await page.text()).toContain('<div id="root">');
    const escape = await fetch(`${host.url}..%2f..%2fpackage.json`);
    expect([403, 404]).toContain(escape.status);
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
  });
});
