/**
 * The browser host: the same core served to a browser over loopback — the built renderer over HTTP and the
 * contract over a WebSocket at /kiosk. It binds 127.0.0.1 by default and refuses WebSocket upgrades from any
 * other origin, so a web page elsewhere cannot drive the machine (cross-site WebSocket / DNS rebinding).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { KioskCore } from '../../src/core/kiosk-core.js';
import { createLogger } from '../../src/log/logger.js';
import { serveStatic } from './static-files.js';
import { bridgeSocket } from './ws-bridge.js';

const log = createLogger('browser-host');
export const SOCKET_PATH = '/kiosk';

export interface BrowserHostOptions {
  core: KioskCore;
  rendererDir: string;
  host?: string;
  port?: number;
}

export interface BrowserHost {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startBrowserHost({ core, rendererDir, host = '127.0.0.1', port = 0 }: BrowserHostOptions): Promise<BrowserHost> {
  const server = createServer((req, res) => {
    serveStatic(rendererDir, req, res).catch((err: Error) => {
      log.error('static file error', { error: err.message });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const expected = `http://${req.headers.host ?? ''}`;
    if (pathname !== SOCKET_PATH || (origin !== undefined && origin !== expected) || !isLoopbackHost(req.headers.host, host)) {
      log.warn('refused a WebSocket upgrade', { path: pathname, origin: origin ?? null, hostHeader: req.headers.host ?? null });
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(core, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
  log.info('browser host listening', { url });

  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A Host header naming another machine means a DNS-rebinding attempt when we are bound to loopback. */
function isLoopbackHost(hostHeader: string | undefined, bound: string): boolean {
  if (!hostHeader) return false;
  if (bound !== '127.0.0.1' && bound !== 'localhost' && bound !== '::1') return true;
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === '127.0.0.1' || name === 'localhost' || name === '::1';
}
