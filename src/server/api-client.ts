/**
 * The one way the kiosk talks HTTP to MyRVM-Server. Adds the headers every call needs (always
 * `Accept: application/json`, or Laravel answers errors with redirects or HTML), the edge API key or the
 * kiosk `X-Machine-UUID`, retries what a retry can fix, validates every reply with its zod schema, records
 * statistics and a structured request log, and publishes server-time samples. It never throws: every
 * outcome, including a garbled reply, comes back as a typed result.
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
  /** false = one attempt only; otherwise overrides the client's policy. */
  retry?: false | RetryPolicy;
  timeoutMs?: number;
}

export type FailureKind = 'network' | 'timeout' | 'http' | 'malformed' | 'not_ready' | 'unsupported';

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
  private readonly timeSamples = new Listeners<ServerTimeSample>();
  private readonly exchanges = new Listeners<ExchangeInfo>();
  private uuid: string | null = null;
  private closed = false;

  constructor(private readonly opts: ApiClientOptions) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl);
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
      if (result.ok || result.kind === 'malformed' || this.closed) return result;
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
    const now = this.opts.now ?? Date.now;
    const sentAt = now();
    const started = performance.now();
    let res: HttpResponse;
    try {
      res = await this.opts.transport.send({
        method: spec.method,
        url: this.urlFor(spec),
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
      if (!body.ok) return this.malformed(spec, res.status, 'reply is not JSON', res.text);
      const parsed = spec.schema.safeParse(body.value);
      if (!parsed.success) return this.malformed(spec, res.status, describeZodError(parsed.error));
      return { ok: true, status: res.status, data: parsed.data };
    }
    const value = body.ok ? body.value : undefined;
    const message = messageOf(value) ?? `HTTP ${res.status}${body.ok ? '' : ' (non-JSON reply)'}`;
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']) ?? bodyRetryAfter(value);
    return { ok: false, kind: 'http', status: res.status, message, body: value, retryAfterMs };
  }

  /** `text` only for non-JSON replies: a JSON reply may hold tokens the redactor cannot see inside a string. */
  private malformed(spec: CallSpec<z.ZodType>, status: number, problem: string, text?: string): ApiFailure {
    // A garbled reply is the server's (or a proxy's) fault: say exactly what was wrong, keep running.
    log.error('malformed reply from server', { method: spec.method, path: spec.path, status, problem, ...(text === undefined ? {} : { sample: text.slice(0, 80) }) });
    return failure('malformed', status, `malformed reply: ${problem}`);
  }

  private finish(spec: CallSpec<z.ZodType>, attempt: number, status: number | null, ms: number, error?: string): void {
    const entry = { at: Date.now(), method: spec.method, path: spec.path, status, ms, attempt, ...(error ? { error } : {}) };
    this.stats.record(entry);
    const ok = status !== null && status < 400;
    (ok ? log.info : log.warn)('request', { method: spec.method, path: spec.path, status, ms, attempt, ...(error ? { error } : {}) });
    this.exchanges.emit({ path: spec.path, auth: spec.auth, status });
  }

  private urlFor(spec: CallSpec<z.ZodType>): string {
    const query = spec.query && Object.keys(spec.query).length ? `?${new URLSearchParams(spec.query).toString()}` : '';
    return `${this.baseUrl}${spec.path}${query}`;
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
