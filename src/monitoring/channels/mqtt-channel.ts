/**
 * Publishes the machine's readings and alert transitions to an MQTT broker, for fleet tools. Topics are fixed
 * (docs/monitoring.md, "Where alerts go"):
 *
 *   rvm/<serial>/telemetry   each `monitoring.readings` batch                      QoS 0
 *   rvm/<serial>/alerts      each `monitoring.alert` transition                     QoS 1
 *   rvm/<serial>/status      retained {"state":"online",…} on connect and every statusEveryMs (its `at` is
 *                            the last-seen time); last will {"state":"offline",…}, retained, which the
 *                            broker publishes when the connection dies without a goodbye (crash, kill -9,
 *                            network gone); a clean stop publishes a retained "offline" itself.
 *
 * Delivery: messages wait in one bounded in-memory queue while the broker is unreachable and are published
 * in order once connected. A full queue drops its oldest telemetry first; alerts go only when no telemetry
 * is left to drop. Telemetry leaves the queue once written to the socket (QoS 0: a dying connection may eat
 * it), alerts only on the broker's PUBACK, so an alert in flight when the link drops is sent again: at least
 * once. The queue does not survive a restart; the alerts themselves are durable in the monitoring store.
 *
 * Reconnects follow the shared backoff (src/core/backoff.ts) with jitter, since a fleet loses its broker
 * together; mqtt.js's own fixed-period reconnect is off (`reconnectPeriod: 0`) and each attempt is a fresh
 * client, so no half-closed client state carries over.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { Backoff, clampTimerMs, type BackoffPolicy } from '../../core/backoff.js';
import type { BusSubscriber } from '../../core/event-bus.js';
import type { KioskEvents } from '../../domain/events.js';
import { createLogger } from '../../log/logger.js';
import { alertPayload, telemetryPayload, topicSafe, topicsFor } from './payloads.js';

const log = createLogger('monitoring.mqtt');
const STOP_GRACE_MS = 2_000;

export interface MqttChannelOptions {
  url: string;
  /** The machine's serial (the handshake's `hardware_id`): the `<serial>` topic level. */
  serial: string;
  username?: string;
  password?: string;
  /** PEM text of the CA(s) a TLS broker's certificate must chain to. */
  ca?: string;
  rejectUnauthorized?: boolean;
  /** Default `rvm-<serial>`. */
  clientId?: string;
  keepaliveSec?: number;
  connectTimeoutMs?: number;
  statusEveryMs?: number;
  maxQueued?: number;
  reconnect: BackoffPolicy;
  /** Extra fields of the online status. */
  machineName?: string;
  version?: string;
  now?: () => number;
  random?: () => number;
}

type Kind = 'telemetry' | 'alert';

export interface MqttChannelState {
  connection: 'connecting' | 'connected' | 'disconnected' | 'stopped';
  queued: Record<Kind, number>;
  published: Record<Kind, number>;
  dropped: Record<Kind, number>;
  /** Failed connection attempts since the last success. */
  failures: number;
  connectedAt: number | null;
  lastError: string | null;
}

interface Queued {
  kind: Kind;
  topic: string;
  payload: string;
  inFlight: boolean;
}

export class MqttChannel {
  readonly topics: ReturnType<typeof topicsFor>;
  private client: MqttClient | null = null;
  private readonly queue: Queued[] = [];
  private readonly backoff: Backoff;
  private readonly offs: Array<() => void> = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private connectedAt: number | null = null;
  private lastError: string | null = null;
  private readonly published: Record<Kind, number> = { telemetry: 0, alert: 0 };
  private readonly dropped: Record<Kind, number> = { telemetry: 0, alert: 0 };
  private readonly now: () => number;

  constructor(
    private readonly bus: BusSubscriber<KioskEvents>,
    private readonly opts: MqttChannelOptions,
  ) {
    this.topics = topicsFor(opts.serial);
    this.backoff = new Backoff(opts.reconnect, opts.random);
    this.now = opts.now ?? Date.now;
  }

  /** Subscribes to the bus and connects; returns at once (a broker that is down is retried in the background). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.offs.push(
      this.bus.on('monitoring.readings', (readings) => {
        if (readings.length > 0) this.enqueue('telemetry', this.topics.telemetry, telemetryPayload(this.opts.serial, readings, this.now()));
      }),
      this.bus.on('monitoring.alert', (transition) => this.enqueue('alert', this.topics.alerts, alertPayload(this.opts.serial, transition))),
    );
    log.info('publishing to MQTT', { broker: redactUrl(this.opts.url), topics: `rvm/${topicSafe(this.opts.serial)}/#` });
    this.connect();
  }

  state(): MqttChannelState {
    const queued = { telemetry: 0, alert: 0 };
    for (const item of this.queue) queued[item.kind] += 1;
    return {
      connection: this.stopped ? 'stopped' : this.client?.connected ? 'connected' : this.started && this.backoff.attempts === 0 ? 'connecting' : 'disconnected',
      queued,
      published: { ...this.published },
      dropped: { ...this.dropped },
      failures: this.backoff.attempts,
      connectedAt: this.connectedAt,
      lastError: this.lastError,
    };
  }

  /** A clean goodbye: retained "offline" (reason shutdown), then DISCONNECT, so the broker drops the will. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offs.splice(0).forEach((off) => off());
    this.clearTimers();
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (!client.connected) {
      client.end(true);
      return;
    }
    const goodbye = JSON.stringify({ state: 'offline', at: iso(this.now()), serial: this.opts.serial, reason: 'shutdown' });
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([
      new Promise<void>((resolve) => client.publish(this.topics.status, goodbye, { qos: 1, retain: true }, () => resolve())),
      grace,
    ]);
    await Promise.race([client.endAsync(false), grace]);
    client.end(true);
  }

  private enqueue(kind: Kind, topic: string, payload: object): void {
    if (this.stopped) return;
    const max = Math.max(1, this.opts.maxQueued ?? 1_000);
    while (this.queue.length >= max && this.evictOne()) {
      /* evictOne drops one message per pass */
    }
    this.queue.push({ kind, topic, payload: JSON.stringify(payload), inFlight: false });
    this.pump();
  }

  /** Oldest telemetry first; an alert only when no telemetry is waiting. In-flight messages stay. */
  private evictOne(): boolean {
    let index = this.queue.findIndex((q) => q.kind === 'telemetry' && !q.inFlight);
    if (index < 0) index = this.queue.findIndex((q) => !q.inFlight);
    if (index < 0) return false;
    const [gone] = this.queue.splice(index, 1);
    this.dropped[gone!.kind] += 1;
    if (this.dropped[gone!.kind] === 1 || this.dropped[gone!.kind] % 100 === 0) {
      log.warn('MQTT queue full: dropped the oldest message', { kind: gone!.kind, dropped: this.dropped[gone!.kind] });
    }
    return true;
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    const { opts } = this;
    const options: IClientOptions = {
      clientId: opts.clientId || `rvm-${topicSafe(opts.serial)}`,
      protocolVersion: 4,
      clean: true,
      keepalive: opts.keepaliveSec ?? 30,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
      reconnectPeriod: 0,
      queueQoSZero: false,
      will: {
        topic: this.topics.status,
        payload: Buffer.from(JSON.stringify({ state: 'offline', serial: opts.serial, reason: 'connection_lost' })),
        qos: 1,
        retain: true,
      },
      ...(opts.username ? { username: opts.username } : {}),
      ...(opts.password ? { password: opts.password } : {}),
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    };
    let client: MqttClient;
    try {
      client = connect(opts.url, options);
    } catch (err) {
      // Only a URL mqtt.js cannot use at all gets here (the config schema checks the scheme): no retry.
      this.lastError = (err as Error).message;
      log.error('MQTT off: cannot connect with this URL', { broker: redactUrl(opts.url), error: this.lastError });
      return;
    }
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('error', (err) => this.onError(client, err));
    client.on('close', () => this.onClose(client));
  }

  private onConnect(client: MqttClient): void {
    if (client !== this.client) return;
    if (this.backoff.attempts > 0) log.info('MQTT broker reachable again', { failures: this.backoff.attempts, queued: this.queue.length });
    this.backoff.reset();
    this.connectedAt = this.now();
    this.lastError = null;
    this.publishStatus(client);
    this.statusTimer = setInterval(() => this.publishStatus(client), clampTimerMs(this.opts.statusEveryMs ?? 60_000));
    this.statusTimer.unref();
    this.pump();
  }

  private onError(client: MqttClient, err: Error): void {
    if (client !== this.client) return;
    this.lastError = err.message;
    log.warn('MQTT connection error', { error: err.message });
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    this.client = null;
    this.connectedAt = null;
    this.clearTimers();
    for (const item of this.queue) item.inFlight = false;
    client.end(true);
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref();
  }

  private publishStatus(client: MqttClient): void {
    if (!client.connected) return;
    const status = {
      state: 'online',
      at: iso(this.now()),
      serial: this.opts.serial,
      onlineSince: iso(this.connectedAt ?? this.now()),
      ...(this.opts.machineName ? { machineName: this.opts.machineName } : {}),
      ...(this.opts.version ? { version: this.opts.version } : {}),
    };
    client.publish(this.topics.status, JSON.stringify(status), { qos: 1, retain: true });
  }

  /** Publish everything not yet in flight, in queue order. */
  private pump(): void {
    const client = this.client;
    if (!client?.connected) return;
    // Over a copy: a QoS 0 publish can settle (and leave the queue) before publish() returns.
    for (const item of [...this.queue]) {
      if (item.inFlight) continue;
      item.inFlight = true;
      client.publish(item.topic, item.payload, { qos: item.kind === 'alert' ? 1 : 0 }, (err) => this.settle(item, err));
    }
  }

  private settle(item: Queued, err: Error | undefined): void {
    if (err) {
      item.inFlight = false;
      return;
    }
    const index = this.queue.indexOf(item);
    if (index < 0) return;
    this.queue.splice(index, 1);
    this.published[item.kind] += 1;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.retryTimer = null;
    this.statusTimer = null;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The broker URL for a log line: user and password stripped. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
