/**
 * Where monitoring's alerts and readings go outside the kiosk (docs/monitoring.md, "Where alerts go"):
 * - the MyRVM server: open alerts in the heartbeat and handshake `diagnostics`, readings to the designed
 *   telemetry and metrics endpoints (ServerLink.setMonitoring; switched off where the server has none);
 * - an MQTT broker (`monitoring.mqtt.url`): telemetry, alert transitions and a retained online/offline status;
 * - a webhook (`monitoring.webhook.url`): each alert transition, with its delivery status kept per alert.
 * Each channel listens to the bus (`monitoring.readings`, `monitoring.alert`); none can hold up the others
 * or the kiosk: a broker or receiver that is down only fills a bounded queue.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Alert } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import type { ChannelsConfig, MqttChannelConfig } from '../monitoring/channels/config.js';
import { MqttChannel } from '../monitoring/channels/mqtt-channel.js';
import { ServerFeed } from '../monitoring/channels/server-feed.js';
import { WebhookChannel, type WebhookDelivery } from '../monitoring/channels/webhook-channel.js';
import type { ServerLink } from '../server/server-link.js';
import type { KioskContext } from './context.js';
import { CORE_VERSION } from './setup-system.js';

const log = createLogger('app.monitoring-channels');

export interface MonitoringChannelsOptions {
  /** The machine's serial, the `hardware_id` of the handshake (`link.hardwareId`); null without a server link. */
  serial: string | null;
  /** The server link: open alerts ride in its heartbeat, readings go to its telemetry endpoints. */
  link?: ServerLink | null;
  /** The alert store's open alerts (complete after a restart); default: followed from the bus transitions. */
  openAlerts?: () => readonly Alert[];
  /** The channels' configuration; default: the `monitoring` section of the kiosk configuration. */
  config?: ChannelsConfig;
}

export interface MonitoringChannels {
  mqtt: MqttChannel | null;
  webhook: WebhookChannel | null;
  /** How each transition of one alert reached the webhook (empty when the webhook is off). */
  getDeliveries(alertId: string): WebhookDelivery[];
}

export async function setupMonitoringChannels(ctx: KioskContext, opts: MonitoringChannelsOptions): Promise<MonitoringChannels> {
  const { core, bus, config } = ctx;
  const section = opts.config ?? config.monitoring;
  const serial = opts.serial || config.server.hardwareId || config.server.credentials?.serial_number || config.machineName;
  if (!opts.serial) log.warn('no server link to take the serial number from: channels use a stand-in', { serial });

  if (opts.link) {
    const feed = new ServerFeed(bus);
    core.onDispose(() => feed.stop());
    opts.link.setMonitoring({ openAlerts: opts.openAlerts ?? (() => feed.openAlerts()), drainReadings: () => feed.drainReadings(), drainItemCounts: () => feed.drainItemCounts() });
  }

  let mqtt: MqttChannel | null = null;
  if (section.mqtt.url) {
    const ca = readCa(section.mqtt);
    if (ca !== null) {
      mqtt = new MqttChannel(bus, mqttOptions(section.mqtt, { serial, ca, machineName: config.machineName }));
      mqtt.start();
      const channel = mqtt;
      core.onDispose(() => channel.stop());
    }
  }

  let webhook: WebhookChannel | null = null;
  if (section.webhook.url) {
    const { url, token, attempts, timeoutMs, backoff } = section.webhook;
    webhook = await WebhookChannel.open(bus, { url, token, serial, attempts, timeoutMs, backoff, file: path.join(config.dataDir, 'monitoring-webhook-deliveries.json') });
    const channel = webhook;
    core.onDispose(() => channel.close());
  }

  return { mqtt, webhook, getDeliveries: (alertId) => webhook?.getDeliveries(alertId) ?? [] };
}

function mqttOptions(c: MqttChannelConfig, extra: { serial: string; ca: string; machineName: string }) {
  return {
    url: c.url,
    serial: extra.serial,
    reconnect: c.reconnect,
    keepaliveSec: c.keepaliveSec,
    connectTimeoutMs: c.connectTimeoutMs,
    statusEveryMs: c.statusEveryMs,
    maxQueued: c.maxQueued,
    rejectUnauthorized: c.tls.rejectUnauthorized,
    machineName: extra.machineName,
    version: CORE_VERSION,
    ...(c.clientId ? { clientId: c.clientId } : {}),
    ...(c.username ? { username: c.username } : {}),
    ...(c.password ? { password: c.password } : {}),
    ...(extra.ca ? { ca: extra.ca } : {}),
  };
}

/** `tls.ca`: PEM text as is, or a file to read. '' = system CAs; null = unreadable (MQTT stays off, said why). */
function readCa(c: MqttChannelConfig): string | null {
  const ca = c.tls.ca.trim();
  if (!ca || ca.startsWith('-----BEGIN')) return ca;
  try {
    return readFileSync(ca, 'utf8');
  } catch (err) {
    log.error('MQTT off: cannot read monitoring.mqtt.tls.ca', { file: ca, error: (err as Error).message });
    return null;
  }
}
