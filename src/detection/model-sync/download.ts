/**
 * A resumable HTTP download into a `.part` file. A partial file left by an earlier attempt is continued with
 * `Range: bytes=<size>-` (206 appends; a server that ignores ranges answers 200 and we start over). A body
 * that ends before its announced length is "truncated" and the part is kept for the next attempt; whether
 * the bytes are the right ones is for the sha256 check, not for this module.
 *
 * The key stays home: `authHeaders` (the edge API key) go only to a URL whose origin (scheme, host, port) is
 * `authOrigin`, the configured server's. Redirects are followed here, by hand (`redirect: 'manual'`), because
 * fetch's own following would carry custom headers such as `X-RVM-API-KEY` to whatever host a redirect
 * names. A hop to another origin is made without the auth headers, and only when the caller says the file
 * is checked afterwards (`crossOrigin: 'keyless'`, i.e. it holds a sha256 to verify); otherwise any URL off
 * the home origin is refused before a request is made.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';

/** The subset of WHATWG fetch the sync needs, so tests and the server link can inject their own. */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal; redirect?: 'manual' }) => Promise<Response>;

export type DownloadFailure = 'http_error' | 'needs_user_token' | 'truncated' | 'too_large';

export class DownloadError extends Error {
  constructor(
    readonly failure: DownloadFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  fetch: FetchLike;
  url: string;
  file: string;
  /** Credentials (the edge API key): sent only to URLs on `authOrigin`, never elsewhere. */
  authHeaders?: Record<string, string>;
  /** scheme://host:port of the configured server; without it, `authHeaders` are never sent. */
  authOrigin?: string;
  /**
   * A URL (the first one or a redirect hop) on another origin than `authOrigin` (or, without one, than the
   * first URL's): `refuse` (default) fails before any request; `keyless` fetches it without `authHeaders`,
   * which is only safe when the caller verifies the bytes (the model's sha256).
   */
  crossOrigin?: 'refuse' | 'keyless';
  /** Redirect hops followed before giving up (default 5). */
  maxRedirects?: number;
  maxBytes: number;
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
}

export async function downloadResumable(o: DownloadOptions): Promise<{ bytes: number; resumedFrom: number }> {
  await mkdir(path.dirname(o.file), { recursive: true });
  let have = await stat(o.file).then((s) => s.size, () => 0);
  const res = await fetchFollowing(o, have);
  // 416: nothing left to send, the part is already whole (the hash check decides if it is right).
  if (res.status === 416 && have > 0) {
    await res.body?.cancel();
    return { bytes: have, resumedFrom: have };
  }
  let total: number | null;
  if (res.status === 206 && have > 0) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      await res.body?.cancel();
      throw new DownloadError('http_error', `server resumed at the wrong offset (${res.headers.get('content-range')}, have ${have})`);
    }
    total = range[2] === '*' ? null : Number(range[2]);
  } else if (res.status === 200) {
    have = 0;
    const length = res.headers.get('content-length');
    total = length === null ? null : Number(length);
  } else if (res.status === 401 && !(await hasErrorCode(res))) {
    // Sanctum's bare 401 "Unauthenticated." (no edge `error_code`): today's MyRVM-Server wants a user token
    // here, which a device never has. Trying again with the same key cannot help (see ModelSync).
    throw new DownloadError('needs_user_token', `${shortUrl(res.url || o.url)} answered HTTP 401 without an error code: the server needs a user token for model download`);
  } else {
    await res.body?.cancel();
    throw new DownloadError('http_error', `${shortUrl(res.url || o.url)} answered HTTP ${res.status}`);
  }
  if (total !== null && total > o.maxBytes) {
    await res.body?.cancel();
    throw new DownloadError('too_large', `model is ${total} bytes, more than the ${o.maxBytes} allowed`);
  }
  if (!res.body) throw new DownloadError('truncated', 'response has no body');

  const resumedFrom = have;
  let received = have;
  const handle = await open(o.file, resumedFrom > 0 ? 'a' : 'w');
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (received > o.maxBytes) throw new DownloadError('too_large', `model is more than the ${o.maxBytes} bytes allowed`);
      await handle.write(chunk);
      o.onProgress?.(received, total);
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError('truncated', `connection dropped after ${received}${total ? ` of ${total}` : ''} bytes: ${describe(err)}`);
  } finally {
    await handle.sync().catch(() => undefined);
    await handle.close();
  }
  if (total !== null && received < total) throw new DownloadError('truncated', `got ${received} of ${total} bytes`);
  return { bytes: received, resumedFrom };
}

/** Whether a refusal names an edge `error_code` (a wrong or missing API key), read from at most 4 KB. */
async function hasErrorCode(res: Response): Promise<boolean> {
  const text = await readCapped(res, 4096).catch(() => '');
  try {
    const body = JSON.parse(text) as unknown;
    return Boolean(body && typeof body === 'object' && typeof (body as { error_code?: unknown }).error_code === 'string');
  } catch {
    return false;
  }
}

async function readCapped(res: Response, cap: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= cap) break;
  }
  await res.body.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, cap).toString('utf8');
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** The response for the file, with redirects followed by hand so the auth headers never leave `authOrigin`. */
async function fetchFollowing(o: DownloadOptions, have: number): Promise<Response> {
  const home = o.authOrigin ?? originOf(o.url);
  const maxRedirects = o.maxRedirects ?? 5;
  let url = o.url;
  for (let hop = 0; ; hop += 1) {
    const origin = originOf(url);
    if (origin === null) throw new DownloadError('http_error', `refused to download ${shortUrl(url)}: only http and https URLs`);
    if (origin !== home && o.crossOrigin !== 'keyless') {
      throw new DownloadError('http_error', `refused to download from ${origin}: not the server's origin ${home ?? '(unknown)'}, and there is no hash to check the file against`);
    }
    // JSON first: Laravel then answers an auth failure with its 401 JSON instead of a 302 to its /login page
    // (`expectsJson()`); a file response is sent whatever Accept says.
    const headers: Record<string, string> = { Accept: 'application/json, application/octet-stream', ...(o.authOrigin !== undefined && origin === o.authOrigin ? o.authHeaders : {}) };
    if (have > 0) headers.Range = `bytes=${have}-`;
    let res: Response;
    try {
      res = await o.fetch(url, { headers, redirect: 'manual', ...(o.signal ? { signal: o.signal } : {}) });
    } catch (err) {
      throw new DownloadError('http_error', `cannot fetch ${shortUrl(url)}: ${describe(err)}`);
    }
    // A fetch that followed anyway (ignoring 'manual') may have carried the headers anywhere: do not use it.
    if (res.redirected) {
      await res.body?.cancel();
      throw new DownloadError('http_error', `the fetch followed a redirect from ${shortUrl(url)} by itself; refusing its answer`);
    }
    if (res.type === 'opaqueredirect' || REDIRECT.has(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new DownloadError('http_error', `${shortUrl(url)} answered HTTP ${res.status} without a readable Location`);
      if (hop >= maxRedirects) throw new DownloadError('http_error', `more than ${maxRedirects} redirects from ${shortUrl(o.url)}`);
      try {
        url = new URL(location, url).href;
      } catch {
        throw new DownloadError('http_error', `${shortUrl(url)} redirected to an unparsable Location`);
      }
      // Laravel's way of saying 401 to a client that did not ask for JSON: its login page wants a user.
      if (originOf(url) === home && new URL(url).pathname.endsWith('/login')) {
        throw new DownloadError('needs_user_token', `${shortUrl(o.url)} redirected to the login page: the server needs a user token for model download`);
      }
      continue;
    }
    return res;
  }
}

/** scheme://host:port of an http(s) URL; null for anything else or unparsable. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** A URL for messages: origin and path, never the query (a signed URL's query is a credential). */
function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.slice(0, 80);
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
