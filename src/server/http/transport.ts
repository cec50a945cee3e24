/**
 * One HTTP exchange with the server, over undici's keep-alive pool. undici's `request` sends exactly the
 * headers we give it, so no Origin or Referer ever reaches Laravel (Sanctum would treat such a POST as a
 * stateful SPA call and answer 419 without a CSRF token). The Agent caps open sockets per origin, and every
 * request carries its own timeout through an AbortSignal.
 *
 * Two limits keep a hostile or broken peer (captive portal, misrouted proxy) from doing harm here:
 * - Redirects are never followed (undici's `request` has no redirect handling unless an interceptor is
 *   added, and none is): a 3xx comes back as it is, so the API key never travels with a redirect.
 * - A reply body is read incrementally and abandoned past `maxReplyBytes` (`server.maxReplyBytes`, default
 *   1 MiB): the connection is torn down, nothing past the cap is buffered, and the response says `oversize`.
 *   A `Content-Length` over the cap is refused before the first body byte is read.
 */
import { Agent, request, type FormData } from 'undici';

export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: string | FormData | undefined;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body as text; empty when `oversize` is set (nothing of an oversize body is kept). */
  text: string;
  /** Set when the body was larger than the transport's cap and was abandoned unread. */
  oversize?: { limit: number };
}

/** A failure before a status line arrived: refused, reset, DNS, or our own timeout. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'timeout',
  ) {
    super(message);
  }
}

export interface HttpTransport {
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface PoolOptions {
  maxSockets: number;
  keepAliveMs?: number;
  /** Largest reply body accepted, in bytes; a larger one is abandoned (see the header comment). */
  maxReplyBytes?: number;
}

export function createHttpTransport({ maxSockets, keepAliveMs = 30_000, maxReplyBytes = DEFAULT_MAX_REPLY_BYTES }: PoolOptions): HttpTransport {
  const agent = new Agent({ connections: maxSockets, keepAliveTimeout: keepAliveMs, keepAliveMaxTimeout: keepAliveMs * 2 });
  return {
    async send({ method, url, headers, body, timeoutMs }) {
      try {
        const res = await request(url, { method, headers, body: body ?? null, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
        const flat = flattenHeaders(res.headers);
        const text = await readCapped(res.body, flat['content-length'], maxReplyBytes);
        if (text === null) return { status: res.statusCode, headers: flat, text: '', oversize: { limit: maxReplyBytes } };
        return { status: res.statusCode, headers: flat, text };
      } catch (err) {
        throw toTransportError(err);
      }
    },
    // destroy, not close: shutdown must not wait out a request hanging on a dead server (the outbox resends).
    close: () => agent.destroy(),
  };
}

interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
}

/** The body as UTF-8 text, or null when it is larger than `limit` bytes (the stream is then destroyed). */
async function readCapped(body: BodyStream, contentLength: string | undefined, limit: number): Promise<string | null> {
  if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > limit) {
    body.destroy();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      // Tear the connection down instead of draining the rest: a 10 MB reply costs us `limit` bytes at most.
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(raw)) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function toTransportError(err: unknown): TransportError {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT') {
    return new TransportError('request timed out', 'timeout');
  }
  const code = e?.code ?? e?.cause?.code;
  return new TransportError(code ? `${code}: ${e?.message ?? 'network error'}` : (e?.message ?? String(err)), 'network');
}
