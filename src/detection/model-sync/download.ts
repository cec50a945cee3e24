/**
 * A resumable HTTP download into a `.part` file. A partial file left by an earlier attempt is continued with
 * `Range: bytes=<size>-` (206 appends; a server that ignores ranges answers 200 and we start over). A body
 * that ends before its announced length is "truncated" and the part is kept for the next attempt; whether
 * the bytes are the right ones is for the sha256 check, not for this module.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';

/** The subset of WHATWG fetch the sync needs, so tests and the server link can inject their own. */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

export type DownloadFailure = 'http_error' | 'truncated' | 'too_large';

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
  headers?: Record<string, string>;
  maxBytes: number;
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
}

export async function downloadResumable(o: DownloadOptions): Promise<{ bytes: number; resumedFrom: number }> {
  await mkdir(path.dirname(o.file), { recursive: true });
  let have = await stat(o.file).then((s) => s.size, () => 0);
  const headers: Record<string, string> = { Accept: 'application/octet-stream', ...o.headers };
  if (have > 0) headers.Range = `bytes=${have}-`;

  let res: Response;
  try {
    res = await o.fetch(o.url, { headers, ...(o.signal ? { signal: o.signal } : {}) });
  } catch (err) {
    throw new DownloadError('http_error', `cannot fetch ${o.url}: ${describe(err)}`);
  }
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
  } else {
    await res.body?.cancel();
    throw new DownloadError('http_error', `${o.url} answered HTTP ${res.status}`);
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

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
