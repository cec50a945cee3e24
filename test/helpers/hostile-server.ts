/**
 * A small hostile HTTP server on 127.0.0.1 (ephemeral port): answers whatever the test scripts, per path,
 * and records every request with its headers. Stands in for what can sit between the kiosk and MyRVM-Server
 * (a captive portal, a misrouted proxy) and for a third-party listener that must never see the API key.
 *
 *   const evil = await startHostileServer();
 *   evil.on('/api/v1/edge/deposit', html200());           // or json(201, {...}), huge(201, bytes), redirect(url)
 *   evil.requests                                          // [{ method, path, headers }]
 *   evil.sawHeader('x-rvm-api-key')                        // did any request carry it?
 *
 * Unscripted paths answer 404 JSON. Replies are functions, so a test can switch them at run time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface HostileServer {
  /** http://127.0.0.1:<port> */
  url: string;
  origin: string;
  requests: SeenRequest[];
  /** Script a path (exact match on the path, query ignored); the last call wins. */
  on(path: string, reply: Reply): void;
  /** Script every unscripted path. */
  otherwise(reply: Reply): void;
  /** Any request carrying this header (lower case)? */
  sawHeader(name: string): boolean;
  /** Bytes written by huge() replies before the client went away, per request, in order. */
  hugeBytesSent: number[];
  close(): Promise<void>;
}

const CAPTIVE_PORTAL = '<!doctype html><html><head><title>Hotspot login</title></head><body><h1>Welcome</h1><form action="/login" method="post"><button>Accept and connect</button></form></body></html>';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_req, res) => void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A captive portal's login page with a 200. */
export function html200(): Reply {
  return (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CAPTIVE_PORTAL);
}

export function redirect(location: string, status = 302): Reply {
  return (_req, res) => void res.writeHead(status, { location, 'content-type': 'text/html' }).end('Redirecting');
}

/** Serve bytes (a model file) with a 200. */
export function bytes(body: Buffer): Reply {
  return (_req, res) => void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
}

export async function startHostileServer(): Promise<HostileServer> {
  const routes = new Map<string, Reply>();
  let fallback: Reply = json(404, { message: 'not found' });
  const requests: SeenRequest[] = [];
  const hugeBytesSent: number[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    // Drain the request body first, so a reply never races the upload.
    req.resume();
    req.on('end', () => {
      const reply = routes.get(path) ?? fallback;
      (reply as Reply & { huge?: true }).huge ? hugeReply(reply, req, res, hugeBytesSent) : reply(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    requests,
    on: (path, reply) => void routes.set(path, reply),
    otherwise: (reply) => void (fallback = reply),
    sawHeader: (name) => requests.some((r) => r.headers[name.toLowerCase()] !== undefined),
    hugeBytesSent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `size` bytes with this status and no Content-Length (chunked, so only an incremental reader can stop
 * early), shaped as `body` with a long `padding` string: read to the end it is valid JSON that passes the
 * reply's schema, so only a size cap keeps it from counting.
 */
export function huge(status: number, body: Record<string, unknown>, size = 10 * 1024 * 1024): Reply {
  const fn: Reply & { huge?: true; status?: number; body?: Record<string, unknown>; size?: number } = () => undefined;
  return Object.assign(fn, { huge: true as const, status, body, size });
}

function hugeReply(reply: Reply, _req: http.IncomingMessage, res: http.ServerResponse, sent: number[]): void {
  const { status, body, size } = reply as unknown as { status: number; body: Record<string, unknown>; size: number };
  const text = JSON.stringify({ ...body, padding: '' });
  const head = Buffer.from(text.slice(0, -2)); // up to the padding's opening quote
  const tail = Buffer.from('"}');
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  const index = sent.push(0) - 1;
  let left = Math.max(0, size - head.length - tail.length);
  let closed = false;
  res.on('close', () => (closed = true));
  res.on('error', () => (closed = true));
  res.writeHead(status, { 'content-type': 'application/json' });
  const write = (buf: Buffer): boolean => {
    sent[index]! += buf.length;
    return res.write(buf);
  };
  write(head);
  const pump = (): void => {
    while (!closed && left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!write(chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!closed) {
      sent[index]! += tail.length;
      res.end(tail);
    }
  };
  pump();
}
