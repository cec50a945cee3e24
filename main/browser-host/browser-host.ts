/**
 * The browser host: the same core served to a browser — the built renderer over HTTP and the contract over a
 * WebSocket at /kiosk. It binds 127.0.0.1 by default. Whatever it is bound to, it answers only requests whose
 * Host is one of the names it is served as (allowed-hosts.ts), and takes WebSocket upgrades only with an
 * Origin of that same host, so a web page elsewhere cannot drive the machine (cross-site WebSocket / DNS
 * rebinding). Each WebSocket is its own connection for the core: technician rights stay with the one that
 * entered the PIN.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { KioskCore } from '../../src/core/kiosk-core.js';
import { createLogger } from '../../src/log/logger.js';
import { AllowedHosts, isWildcardAddress } from './allowed-hosts.js';
import { serveStatic } from './static-files.js';
import { bridgeSocket } from './ws-bridge.js';

const log = createLogger('browser-host');
export const SOCKET_PATH = '/kiosk';

export interface BrowserHostOptions {
  core: KioskCore;
  rendererDir: string;
  host?: string;
  port?: number;
  /**
   * More names/IPs the kiosk is served as (`ui.allowedHosts`), besides the loopback names and `host` itself.
   * Bound to 0.0.0.0 / ::, these are the only non-loopback names accepted: list what the remote screen uses.
   */
  allowedHosts?: readonly string[];
}

export interface BrowserHost {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startBrowserHost({ core, rendererDir, host = '127.0.0.1', port = 0, allowedHosts = [] }: BrowserHostOptions): Promise<BrowserHost> {
  const allowed = new AllowedHosts(host, allowedHosts);
  const refusals = new RefusalLog();
  const server = createServer((req, res) => {
    if (!allowed.allowsHost(req.headers.host)) {
      refusals.note('refused an HTTP request for another host name', { hostHeader: req.headers.host ?? null });
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('unknown host');
      return;
    }
    serveStatic(rendererDir, req, res).catch((err: Error) => {
      log.error('static file error', { error: err.message });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    if (pathname !== SOCKET_PATH || !allowed.allowsUpgrade(req.headers.host, origin)) {
      refusals.note('refused a WebSocket upgrade', { path: pathname, origin: origin ?? null, hostHeader: req.headers.host ?? null });
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(core, ws, `ws:${randomUUID()}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  // Bound to every interface, the local browser opens it over loopback (0.0.0.0 is not a name we serve as).
  const local = isWildcardAddress(host) ? (host.includes(':') ? '::1' : '127.0.0.1') : host;
  const url = `http://${local.includes(':') ? `[${local}]` : local}:${address.port}/`;
  log.info('browser host listening', { url, allowedHosts: [...allowed.names] });
  if (isWildcardAddress(host) && allowedHosts.length === 0) {
    log.warn('browser host bound to every interface, but ui.allowedHosts is empty: only loopback names are accepted; list the names or IPs a remote screen uses in ui.allowedHosts', { host });
  }

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

/** Refusals are logged, but a page hammering the host cannot flood the log: one line per 10 s, with a count. */
class RefusalLog {
  private last = 0;
  private suppressed = 0;

  note(message: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    if (now - this.last < 10_000) {
      this.suppressed += 1;
      return;
    }
    log.warn(message, { ...fields, ...(this.suppressed > 0 ? { suppressedSinceLast: this.suppressed } : {}) });
    this.last = now;
    this.suppressed = 0;
  }
}
