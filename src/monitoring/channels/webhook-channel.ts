/**
 * POSTs each alert transition (bus `monitoring.alert`) as JSON to a webhook, with `Authorization: Bearer
 * <token>`, and records how each delivery went, so the alert screens can show "sent" or "failed: HTTP 503".
 *
 * - Up to `attempts` tries (3 by default) per transition, waiting the shared backoff between them. A network
 *   error, a timeout, 408, 429 or a 5xx is worth another try; any other answer is final (a 401 will not
 *   fix itself by asking again).
 * - One delivery at a time, in the order the transitions happened, so a receiver never sees "resolved"
 *   before "raised".
 * - The record (`getDeliveries(alertId)`) is kept in memory and, when a file is given, durably: after a
 *   restart the statuses are still there and a delivery that was interrupted is resumed with the attempts
 *   it had left (at least one). Bounded: the oldest settled deliveries are forgotten first.
 * - The token goes in the header and nowhere else: not in the record, not in a log line.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff.js';
import type { BusSubscriber } from '../../core/event-bus.js';
import type { AlertStatus, KioskEvents } from '../../domain/events.js';
import { createLogger } from '../../log/logger.js';
import { replaceFileAtomic } from '../../storage/durable-fs.js';
import { alertPayload, type AlertPayload } from './payloads.js';

const log = createLogger('monitoring.webhook');
const KEEP_DELIVERIES = 500;

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** How one alert transition reached (or did not reach) the webhook. */
export interface WebhookDelivery {
  alertId: string;
  /** The status the alert moved to in this transition. */
  transition: AlertStatus;
  /** When the transition happened (epoch ms). */
  at: number;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: number | null;
  /** HTTP status of the last answer; null when none came (network error, timeout). */
  httpStatus: number | null;
  /** Why the last attempt failed; null once sent. */
  error: string | null;
}

export interface WebhookChannelOptions {
  url: string;
  token: string;
  serial: string;
  attempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
  /** Durable record of deliveries (JSON, replaced atomically); in memory only when absent. */
  file?: string;
  now?: () => number;
  /** Waits between attempts (tests pass one that records the delays and resolves at once). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface Entry {
  delivery: WebhookDelivery;
  /** Kept until sent or failed, so an interrupted delivery can be resumed after a restart. */
  body: AlertPayload | null;
}

interface AttemptResult {
  ok: boolean;
  retry: boolean;
  httpStatus: number | null;
  error: string | null;
}

export class WebhookChannel {
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: string[] = [];
  private readonly listeners = new Set<(delivery: WebhookDelivery) => void>();
  private off: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  private wakeOnClose: () => void = () => undefined;
  private readonly closing = new Promise<void>((resolve) => (this.wakeOnClose = resolve));
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  private constructor(private readonly opts: WebhookChannelOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /** Loads the durable record (if any), resumes unfinished deliveries and starts listening to the bus. */
  static async open(bus: BusSubscriber<KioskEvents>, opts: WebhookChannelOptions): Promise<WebhookChannel> {
    const channel = new WebhookChannel(opts);
    await channel.load();
    channel.off = bus.on('monitoring.alert', (t) => channel.add(alertPayload(opts.serial, t), t.at));
    log.info('alert webhook on', { url: safeUrl(opts.url) });
    channel.kick();
    return channel;
  }

  /** Every delivery of one alert's transitions, oldest first. */
  getDeliveries(alertId: string): WebhookDelivery[] {
    return [...this.entries.values()].filter((e) => e.delivery.alertId === alertId).map((e) => ({ ...e.delivery }));
  }

  /** Every delivery still in the record, oldest first. */
  deliveries(): WebhookDelivery[] {
    return [...this.entries.values()].map((e) => ({ ...e.delivery }));
  }

  /** Called on each change of a delivery (queued, each attempt, sent, failed). */
  onDelivery(listener: (delivery: WebhookDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when nothing is waiting or being sent (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
    await this.saving;
  }

  /** Stops listening; a delivery in progress finishes its current attempt, the rest resume after a restart. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeOnClose();
    this.off?.();
    await this.running;
    await this.saving;
  }

  private add(body: AlertPayload, at: number): void {
    if (this.closed) return;
    const key = `${body.id}:${body.status}:${at}`;
    if (this.entries.has(key)) return;
    const delivery: WebhookDelivery = { alertId: body.id, transition: body.status as AlertStatus, at, status: 'pending', attempts: 0, lastAttemptAt: null, httpStatus: null, error: null };
    this.entries.set(key, { delivery, body });
    this.waiting.push(key);
    this.changed(key);
    this.kick();
  }

  private kick(): void {
    if (this.running || this.closed || this.waiting.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let key = this.waiting.shift(); key !== undefined && !this.closed; key = this.waiting.shift()) {
      const entry = this.entries.get(key);
      if (entry?.body) await this.deliver(key, entry);
    }
  }

  private async deliver(key: string, entry: Entry): Promise<void> {
    const { delivery } = entry;
    const max = Math.max(1, this.opts.attempts);
    const firstTry = delivery.attempts;
    for (;;) {
      delivery.attempts += 1;
      delivery.lastAttemptAt = this.now();
      const result = await this.attempt(entry.body!);
      delivery.httpStatus = result.httpStatus;
      delivery.error = result.error;
      if (result.ok) {
        delivery.status = 'sent';
        entry.body = null;
        this.changed(key);
        return;
      }
      const exhausted = delivery.attempts >= Math.max(max, firstTry + 1);
      if (!result.retry || exhausted) {
        delivery.status = 'failed';
        entry.body = null;
        log.warn('alert webhook delivery failed', { alertId: delivery.alertId, transition: delivery.transition, attempts: delivery.attempts, error: result.error });
        this.changed(key);
        return;
      }
      this.changed(key);
      // Closing cuts the wait short; the delivery stays pending and resumes after a restart.
      await Promise.race([this.sleep(backoffDelay(delivery.attempts, this.opts.backoff, this.opts.random)), this.closing]);
      if (this.closed) return;
    }
  }

  private async attempt(body: AlertPayload): Promise<AttemptResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'rvm-kiosk' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    try {
      const res = await request(this.opts.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ event: 'alert.transition', ...body }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.body.text().catch(() => '');
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, retry: false, httpStatus: res.statusCode, error: null };
      const retry = res.statusCode === 408 || res.statusCode === 429 || res.statusCode >= 500;
      const detail = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      return { ok: false, retry, httpStatus: res.statusCode, error: `HTTP ${res.statusCode}${detail ? `: ${detail}` : ''}` };
    } catch (err) {
      const e = err as Error & { code?: string };
      const reason = e.name === 'TimeoutError' ? `timed out after ${this.opts.timeoutMs} ms` : [e.code, e.message].filter(Boolean).join(' ');
      return { ok: false, retry: true, httpStatus: null, error: `network: ${reason}` };
    }
  }

  private changed(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.prune();
    const copy = { ...entry.delivery };
    for (const listener of this.listeners) {
      try {
        listener(copy);
      } catch (err) {
        log.error('delivery listener failed', { error: (err as Error).message });
      }
    }
    this.save();
  }

  /** Forget the oldest settled deliveries beyond the bound (Map keeps insertion order). */
  private prune(): void {
    let excess = this.entries.size - KEEP_DELIVERIES;
    for (const [key, entry] of this.entries) {
      if (excess <= 0) break;
      if (entry.delivery.status === 'pending') continue;
      this.entries.delete(key);
      excess -= 1;
    }
  }

  private save(): void {
    const file = this.opts.file;
    if (!file) return;
    const snapshot = JSON.stringify({ version: 1, entries: [...this.entries.values()] });
    this.saving = this.saving
      .then(() => replaceFileAtomic(file, snapshot))
      .catch((err: Error) => log.error('cannot save the webhook delivery record', { file, error: err.message }));
  }

  private async load(): Promise<void> {
    const file = this.opts.file;
    if (!file) return;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.error('cannot read the webhook delivery record', { file, error: (err as Error).message });
      return;
    }
    try {
      const parsed = JSON.parse(text) as { entries?: Entry[] };
      for (const entry of parsed.entries ?? []) {
        const d = entry.delivery;
        const key = `${d.alertId}:${d.transition}:${d.at}`;
        this.entries.set(key, entry);
        if (d.status === 'pending' && entry.body) this.waiting.push(key);
      }
    } catch (err) {
      log.error('webhook delivery record unreadable: starting a new one', { file, error: (err as Error).message });
    }
  }
}

/** The URL without user info or query (a token may hide in either). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
