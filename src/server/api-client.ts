/**
 * The one way the kiosk talks HTTP to MyRVM-Server. Adds the headers every call needs (always
 * `Accept: application/json`, or Laravel answers errors with redirects or HTML), the edge API key or the
 * kiosk `X-Machine-UUID`, retries what a retry can fix, validates every reply with its zod schema, records
 * statistics and a structured request log, and publishes server-time samples. It never throws: every
 * outcome, including a garbled reply, comes back as a typed result.
 *
 * What counts as an answer: a 2xx whose status is the one the call expects (`expectStatus`, when given) and
 * whose body is JSON that passes the call's schema, within the transport's size cap. Anything else that
 * came with a 2xx (HTML from a captive portal, wrong types, an oversize body) is `malformed`, with the
 * message "the server's answer was not a MyRVM reply: …"; it is never retried here (the server may have
 * acted on the request), and callers must not take it as success (see deposit-sender.ts).
 *
 * The key stays home: every request goes to the configured server's origin (scheme, host and port of
 * `baseUrl`) and nowhere else. A path that is not a plain absolute path, or an absolute URL to another
 * origin, is refused before anything is sent (`refused`), so neither `X-RVM-API-KEY` nor `X-Machine-UUID` can
 * be aimed elsewhere. Redirects are not followed (the transport never does): a 3xx is an `http` failure
 * naming where it pointed, and the request is not repeated there.
 */
import { performance } from 'node:perf_hooks';
import type { FormData } from 'undici';
import type { z } from 'zod';
import { clampTimerMs } from '../core/backoff.js';
import { describeZodError } from '../core/describe-error.js';
import { createLogger } from '../log/logger.js';
import type { RvmCredentials } from './credentials.js';
import { TransportError, type HttpResponse, type HttpTransport } from './http/transport.js';
import { Listeners } from './listeners.js';
import { RequestStats } from './request-stats.js';
import { decideRetry, defaultRetryPolicy, parseRetryAfter, retryAfterSeconds, type RetryPolicy } from './retry.js';
import { sampleFromReply, type ServerTimeSample } from './time-samples.js';

const log = createLogger('server.http');

export type AuthKind = 'edge' | 'kiosk' | 'none';

export interface CallSpec<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH';
  /** Full path from the server root, e.g. /api/v1/edge/handshake. */
  path: string;
  query?: Record<string, string>;
  auth: AuthKind;
  json?: unknown;
  /** A factory, because a retry needs a fresh multipart body. */
  form?: () => FormData;
  schema: S;
  /**
   * The 2xx status(es) the server promises for this call (deposit: 201, sync-offline: 200). Another 2xx is
   * not that server's answer and comes back `malformed`. Omitted = any 2xx.
   */
  expectStatus?: readonly number[];
  /** false = one attempt only; otherwise overrides the client's policy. */
  retry?: false | RetryPolicy;
  timeoutMs?: number;
}

/**
 * `malformed`: a 2xx that is not the server's promised answer (not JSON, wrong shape, wrong 2xx, oversize).
 * `refused`: never sent, because it would have gone (with credentials) to another origin than the server's.
 */
export type FailureKind = 'network' | 'timeout' | 'http' | 'malformed' | 'not_ready' | 'unsupported' | 'refused';

export interface ApiFailure {
  ok: false;
  kind: FailureKind;
  /** HTTP status when a reply arrived. */
  status: number | null;
  message: string;
  /** The parsed error body, when it was JSON. */
  body: unknown;
  /** The server's Retry-After (or body retry_after) when it gave one; at most MAX_TIMER_MS, not capped further. */
  retryAfterMs: number | null;
}

export interface ApiSuccess<T> {
  ok: true;
  status: number;
  data: T;
}

export type ApiResult<T> = ApiSuccess<T> | ApiFailure;

export interface ExchangeInfo {
  path: string;
  auth: AuthKind;
  status: number | null;
}

export interface ApiClientOptions {
  baseUrl: string;
  credentials: RvmCredentials;
  transport: HttpTransport;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Injected in tests so retry delays are asserted, not waited for. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, clampTimerMs(ms)).unref());

export class ApiClient {
  readonly stats = new RequestStats();
  readonly baseUrl: string;
  /** scheme://host:port of `baseUrl`: the only origin any request (and so any credential) goes to. */
  readonly origin: string | null;
  private readonly timeSamples = new Listeners<ServerTimeSample>();
  private readonly exchanges = new Listeners<ExchangeInfo>();
  private uuid: string | null = null;
  private closed = false;

  constructor(private readonly opts: ApiClientOptions) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl);
    this.origin = originOf(this.baseUrl);
  }

  get credentials(): RvmCredentials {
    return this.opts.credentials;
  }

  /** The machine UUID from the handshake; kiosk calls wait for it. */
  get machineUuid(): string | null {
    return this.uuid;
  }

  setMachineUuid(uuid: string): void {
    this.uuid = uuid;
  }

  onTimeSample(listener: (sample: ServerTimeSample) => void): () => void {
    return this.timeSamples.add(listener);
  }

  /** Every finished exchange (reply or network failure), for the link state. */
  onExchange(listener: (info: ExchangeInfo) => void): () => void {
    return this.exchanges.add(listener);
  }

  async call<S extends z.ZodType>(spec: CallSpec<S>): Promise<ApiResult<z.output<S>>> {
    if (spec.auth === 'kiosk' && !this.uuid) return failure('not_ready', null, 'no machine UUID yet: the handshake has not succeeded');
    const policy = spec.retry === false ? { ...(this.opts.retry ?? defaultRetryPolicy), attempts: 1 } : (spec.retry ?? this.opts.retry ?? defaultRetryPolicy);
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.once(spec, attempt);
      if (result.ok || result.kind === 'malformed' || result.kind === 'refused' || this.closed) return result;
      const decision = decideRetry(attempt, result.status, result.retryAfterMs, policy, this.opts.random);
      if (!decision.retry) return result;
      log.warn('request failed, retrying', { path: spec.path, attempt, status: result.status, delayMs: decision.delayMs });
      await (this.opts.sleep ?? realSleep)(decision.delayMs);
      if (this.closed) return result;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opts.transport.close();
  }

  private async once<S extends z.ZodType>(spec: CallSpec<S>, attempt: number): Promise<ApiResult<z.output<S>>> {
    const target = this.urlFor(spec);
    if (!target.ok) {
      log.error('request refused: it would leave the configured server', { method: spec.method, auth: spec.auth, reason: target.reason });
      return failure('refused', null, `refused to send the request: ${target.reason}`);
    }
    const now = this.opts.now ?? Date.now;
    const sentAt = now();
    const started = performance.now();
    let res: HttpResponse;
    try {
      res = await this.opts.transport.send({
        method: spec.method,
        url: target.url,
        headers: this.headersFor(spec),
        body: spec.form ? spec.form() : spec.json === undefined ? undefined : JSON.stringify(spec.json),
        timeoutMs: spec.timeoutMs ?? this.opts.timeoutMs ?? 10_000,
      });
    } catch (err) {
      const ms = round1(performance.now() - started);
      const e = err instanceof TransportError ? err : new TransportError(String(err), 'network');
      this.finish(spec, attempt, null, ms, e.message);
      return failure(e.kind, null, e.message);
    }
    const receivedAt = now();
    const ms = round1(performance.now() - started);
    this.finish(spec, attempt, res.status, ms);
    const body = parseJson(res.text);
    const sample = sampleFromReply(body.ok ? body.value : undefined, res.headers['date'], sentAt, receivedAt);
    if (sample) this.timeSamples.emit(sample, (err) => log.warn('time-sample listener failed', { error: String(err) }));
    return this.interpret(spec, res, body);
  }

  private interpret<S extends z.ZodType>(spec: CallSpec<S>, res: HttpResponse, body: ParsedJson): ApiResult<z.output<S>> {
    if (res.status >= 200 && res.status < 300) {
      if (res.oversize) return this.malformed(spec, res.status, `HTTP ${res.status} with a body over the ${res.oversize.limit}-byte limit (abandoned unread)`);
      if (!body.ok) return this.malformed(spec, res.status, `HTTP ${res.status} body is not JSON (${describeBody(res)})`, res.text);
      if (spec.expectStatus && !spec.expectStatus.includes(res.status)) {
        return this.malformed(spec, res.status, `HTTP ${res.status} where the server answers ${spec.expectStatus.join(' or ')}`);
      }
      const parsed = spec.schema.safeParse(body.value);
      if (!parsed.success) return this.malformed(spec, res.status, `HTTP ${res.status} body has the wrong shape: ${describeZodError(parsed.error)}`);
      return { ok: true, status: res.status, data: parsed.data };
    }
    if (res.status >= 300 && res.status < 400) {
      // Not followed, whatever the target: credentials are only ever sent to the configured server.
      const to = redirectTarget(res.headers['location'], target(this.baseUrl, spec.path));
      return failure('http', res.status, `HTTP ${res.status}: the server redirected to ${to}; redirects are not followed`);
    }
    const value = body.ok ? body.value : undefined;
    const message = messageOf(value) ?? `HTTP ${res.status}${res.oversize ? ` (reply over the ${res.oversize.limit}-byte limit, not read)` : body.ok ? '' : ' (non-JSON reply)'}`;
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']) ?? bodyRetryAfter(value);
    return { ok: false, kind: 'http', status: res.status, message, body: value, retryAfterMs };
  }

  /** `text` only for non-JSON replies: a JSON reply may hold tokens the redactor cannot see inside a string. */
  private malformed(spec: CallSpec<z.ZodType>, status: number, problem: string, text?: string): ApiFailure {
    // A garbled reply is the server's (or a proxy's) fault: say exactly what was wrong, keep running.
    log.error('malformed reply from server', { method: spec.method, path: spec.path, status, problem, ...(text === undefined ? {} : { sample: text.slice(0, 80) }) });
    return failure('malformed', status, `${NOT_A_MYRVM_REPLY}${problem}`);
  }

  private finish(spec: CallSpec<z.ZodType>, attempt: number, status: number | null, ms: number, error?: string): void {
    const entry = { at: Date.now(), method: spec.method, path: spec.path, status, ms, attempt, ...(error ? { error } : {}) };
    this.stats.record(entry);
    const ok = status !== null && status < 400;
    (ok ? log.info : log.warn)('request', { method: spec.method, path: spec.path, status, ms, attempt, ...(error ? { error } : {}) });
    this.exchanges.emit({ path: spec.path, auth: spec.auth, status });
  }

  /**
   * The request URL, only ever on the server's origin. `path` is a path from the server root ("/api/v1/…");
   * an absolute URL is accepted only on the same origin. Anything else is refused, whether or not the call
   * carries credentials: this client talks to the configured server and nowhere else.
   */
  private urlFor(spec: CallSpec<z.ZodType>): { ok: true; url: string } | { ok: false; reason: string } {
    const query = spec.query && Object.keys(spec.query).length ? `?${new URLSearchParams(spec.query).toString()}` : '';
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(spec.path);
    if (!absolute && !/^\/(?![/\\])/.test(spec.path)) return { ok: false, reason: `"${spec.path.slice(0, 80)}" is not a path from the server root` };
    const url = absolute ? `${spec.path}${query}` : `${this.baseUrl}${spec.path}${query}`;
    const origin = originOf(url);
    if (this.origin === null) return { ok: true, url }; // no usable base URL: the transport fails it, credentials go nowhere
    if (origin !== this.origin) return { ok: false, reason: `${origin ?? 'an unparsable URL'} is not the configured server ${this.origin}` };
    return { ok: true, url };
  }

  private headersFor(spec: CallSpec<z.ZodType>): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'rvm-kiosk' };
    if (spec.json !== undefined && !spec.form) headers['Content-Type'] = 'application/json';
    if (spec.auth === 'edge') Object.assign(headers, this.opts.credentials.edgeAuthHeader());
    if (spec.auth === 'kiosk' && this.uuid) headers['X-Machine-UUID'] = this.uuid;
    return headers;
  }
}

/** Accepts https://host, https://host/, https://host/api, https://host/api/v1 (as the reference edge has it). */
export function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/api(\/v1)?$/, '');
}

/** The prefix of every `malformed` message: the outbox shows it as its `lastError`. */
export const NOT_A_MYRVM_REPLY = "the server's answer was not a MyRVM reply: ";

/** scheme://host[:port] of a URL, or null when it does not parse. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

function target(baseUrl: string, path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : `${baseUrl}${path}`;
}

/** Where a redirect pointed, as an origin and path (never the query: it may hold tokens). */
function redirectTarget(location: string | undefined, from: string): string {
  if (!location) return 'nowhere (no Location)';
  try {
    const u = new URL(location, from);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an unparsable Location';
  }
}

function describeBody(res: HttpResponse): string {
  const type = res.headers['content-type']?.split(';')[0]?.trim();
  return `${type ? `content-type ${type}` : 'no content-type'}, ${Buffer.byteLength(res.text)} bytes`;
}

type ParsedJson = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string): ParsedJson {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function messageOf(value: unknown): string | null {
  const message = value && typeof value === 'object' ? (value as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : null;
}

function bodyRetryAfter(value: unknown): number | null {
  return retryAfterSeconds(value && typeof value === 'object' ? (value as { retry_after?: unknown }).retry_after : undefined);
}

export function failure(kind: FailureKind, status: number | null, message: string): ApiFailure {
  return { ok: false, kind, status, message, body: undefined, retryAfterMs: null };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
