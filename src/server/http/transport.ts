/**
 * One HTTP exchange with the server, over undici's keep-alive pool. undici's `request` sends exactly the
 * headers we give it, so no Origin or Referer ever reaches Laravel (Sanctum would treat such a POST as a
 * stateful SPA call and answer 419 without a CSRF token). The Agent caps open sockets per origin, and every
 * request carries its own timeout through an AbortSignal.
 */
import { Agent, request, type FormData } from 'undici';

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
  text: string;
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
}

export function createHttpTransport({ maxSockets, keepAliveMs = 30_000 }: PoolOptions): HttpTransport {
  const agent = new Agent({ connections: maxSockets, keepAliveTimeout: keepAliveMs, keepAliveMaxTimeout: keepAliveMs * 2 });
  return {
    async send({ method, url, headers, body, timeoutMs }) {
      try {
        const res = await request(url, { method, headers, body: body ?? null, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
        const text = await res.body.text();
        return { status: res.statusCode, headers: flattenHeaders(res.headers), text };
      } catch (err) {
        throw toTransportError(err);
      }
    },
    // destroy, not close: shutdown must not wait out a request hanging on a dead server (the outbox resends).
    close: () => agent.destroy(),
  };
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
