/**
 * A small HTTP server on 127.0.0.1 (ephemeral port) that serves model files the way a download endpoint
 * does, plus the faults model sync must survive: honouring or ignoring Range, cutting the connection after
 * N bytes while promising the full length, and serving other bytes than announced. It records every
 * request so tests can check that a resume really asked for the missing range.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Send this many bytes of the (ranged) body, then destroy the socket. Applies once, then is cleared. */
  truncateAfter?: number;
  /** Answer every request with the whole file (200), as servers without range support do. */
  ignoreRange?: boolean;
  /** Answer with this status and no file. */
  status?: number;
  /** Wait this long before answering (a slow server: a newer request can arrive meanwhile). */
  delayMs?: number;
}

export interface ModelServer {
  baseUrl: string;
  serve(path: string, file: ServedFile): void;
  requests: Array<{ path: string; range: string | undefined; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startModelServer(): Promise<ModelServer> {
  const files = new Map<string, ServedFile>();
  const requests: ModelServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, range: req.headers.range, headers: req.headers });
    const file = files.get(path);
    if (!file) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
    if (file.status && file.delayMs) return void setTimeout(() => res.writeHead(file.status!).end(), file.delayMs);
    if (file.status) return void res.writeHead(file.status).end();
    const total = file.body.length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range && !file.ignoreRange) {
      start = Number(range[1]);
      if (start >= total) return void res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
      res.writeHead(206, { 'content-length': total - start, 'content-range': `bytes ${start}-${total - 1}/${total}`, 'accept-ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'content-length': total, 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' });
    }
    const body = file.body.subarray(start);
    if (file.truncateAfter !== undefined) {
      const cut = file.truncateAfter;
      delete file.truncateAfter;
      // Flush the first part, then drop the connection with the promised length unmet.
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    serve: (path, file) => files.set(path, { ...file }),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
