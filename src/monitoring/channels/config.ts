/**
 * Where alerts and readings go besides the kiosk itself: an MQTT broker and a webhook. Both are off until a
 * URL is set. This schema is one part of the `monitoring` section (src/monitoring/config.ts spreads
 * `channelsConfig.shape` into it), so the keys read `monitoring.mqtt.url`, `monitoring.webhook.token`, and
 * from the environment `RVM__monitoring__mqtt__url=mqtt://10.0.0.5:1883`.
 */
import { z } from 'zod';
import { MAX_TIMER_MS } from '../../core/backoff.js';

const backoffPolicy = (firstMs: number, maxMs: number) =>
  z.object({
    firstMs: z.number().int().min(0).max(MAX_TIMER_MS).default(firstMs),
    factor: z.number().min(1).default(2),
    maxMs: z.number().int().min(0).max(MAX_TIMER_MS).default(maxMs),
  }).strict();

const MQTT_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

export const mqttTlsConfig = z.object({
  /** CA certificate(s) the broker's certificate must chain to: a PEM file path, or the PEM text itself. Empty = the system's CAs. */
  ca: z.string().default(''),
  /** Off only for a test broker with a self-made certificate and no CA to give. */
  rejectUnauthorized: z.boolean().default(true),
}).strict();

export const mqttChannelConfig = z.object({
  /** Broker URL: `mqtt://host:1883`, `mqtts://host:8883` (TLS), `ws://` / `wss://`. Empty = MQTT off. */
  url: z
    .string()
    .default('')
    .refine((url) => url === '' || (URL.canParse(url) && MQTT_SCHEMES.includes(new URL(url).protocol)), 'an mqtt://, mqtts://, ws:// or wss:// URL (or empty: off)'),
  username: z.string().default(''),
  password: z.string().default(''),
  tls: mqttTlsConfig.prefault({}),
  /** Empty = `rvm-<serial>`: one session per machine, so a second kiosk with the same id is noticed. */
  clientId: z.string().max(128).default(''),
  keepaliveSec: z.number().int().min(5).max(3_600).default(30),
  connectTimeoutMs: z.number().int().min(500).max(MAX_TIMER_MS).default(10_000),
  /** The retained `online` status is published again this often, so its `at` is the machine's last-seen time. */
  statusEveryMs: z.number().int().min(1_000).max(MAX_TIMER_MS).default(60_000),
  /** Messages held while the broker is unreachable; when full, the oldest telemetry goes first, alerts last. */
  maxQueued: z.number().int().min(1).max(100_000).default(1_000),
  /** Reconnect schedule (the shared backoff, with jitter: a fleet loses its broker together). */
  reconnect: backoffPolicy(1_000, 60_000).prefault({}),
}).strict();

export const webhookChannelConfig = z.object({
  /** Each alert transition is POSTed here as JSON. Empty = webhook off. */
  url: z
    .string()
    .default('')
    .refine((url) => url === '' || (URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol)), 'an http:// or https:// URL (or empty: off)'),
  /** Sent as `Authorization: Bearer <token>`; never logged. Empty = no Authorization header. */
  token: z.string().default(''),
  attempts: z.number().int().min(1).max(10).default(3),
  timeoutMs: z.number().int().min(100).max(MAX_TIMER_MS).default(10_000),
  /** Wait before the 2nd, 3rd… attempt. */
  backoff: backoffPolicy(2_000, 30_000).prefault({}),
}).strict();

export const channelsConfig = z.object({
  mqtt: mqttChannelConfig.prefault({}),
  webhook: webhookChannelConfig.prefault({}),
}).strict();

export type MqttChannelConfig = z.infer<typeof mqttChannelConfig>;
export type WebhookChannelConfig = z.infer<typeof webhookChannelConfig>;
export type ChannelsConfig = z.infer<typeof channelsConfig>;
