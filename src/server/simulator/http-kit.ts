/**
 * The simulator's small HTTP toolkit: a route table (method + path pattern), body readers and reply
 * helpers that produce what Laravel produces (JSON with the right status, `Date` header from Node).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** Client address, the throttle key Laravel uses for guests. */
  ip: string;
  body: Buffer;
}

export interface SimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes instead of JSON (model download). */
  raw?: Buffer;
}

export type RouteHandler = (req: SimRequest) => SimReply | Promise<SimReply>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` like /api/v1/edge/download-model/{hash}. */
  add(method: string, path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  match(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | 'wrong_method' | null {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'wrong_method' : null;
  }
}

export async function readBody(req: IncomingMessage, limit = 12 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimReply {
  return headers ? { status, body, headers } : { status, body };
}

/** Parse a JSON body; Laravel treats an unreadable body as an empty input. */
export function jsonBody(req: SimRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const value = JSON.parse(req.body.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Multipart bodies parsed by the platform's own WHATWG FormData parser (undici inside Node). */
export async function formBody(req: SimRequest): Promise<FormData | null> {
  const type = req.headers['content-type'];
  if (!type || !type.startsWith('multipart/form-data')) return null;
  try {
    return await new Response(req.body, { headers: { 'content-type': type } }).formData();
  } catch {
    return null;
  }
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function send(res: ServerResponse, reply: SimReply): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.raw) {
    res.statusCode = reply.status;
    res.end(reply.raw);
    return;
  }
  res.statusCode = reply.status;
  res.setHeader('Content-Type', 'application/json');
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

/** Carbon's toIso8601String() in the app timezone Asia/Jakarta (UTC+7, no DST): 2026-01-31T10:00:00+07:00. */
export function jakartaIso(ms: number): string {
  return `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}
