/**
 * The webhook's delivery status lands on the alert transition it belongs to, durably in the alert journal:
 * "sent" for a receiver that took it, "failed" with the error after the attempts ran out, still there after
 * a reopen; a delivery that settled before the alert store was wired is copied over on wiring.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wireAlertDeliveries } from '../../src/app/alert-deliveries.js';
import { EventBus } from '../../src/core/event-bus.js';
import type { AlertTransition, KioskEvents } from '../../src/domain/events.js';
import { WebhookChannel } from '../../src/monitoring/channels/webhook-channel.js';
import { monitoringConfig } from '../../src/monitoring/config.js';
import { Monitoring } from '../../src/monitoring/monitoring.js';
import { setLogSink } from '../../src/log/logger.js';
import { eventually } from '../helpers/eventually.js';
import { makeTempDir } from '../helpers/outbox.js';

const T0 = Date.UTC(2026, 10, 2, 3);
let dir: string;
let cleanup: () => Promise<void>;
const steps: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-delivery-'));
  // The failed delivery's warning is the expected outcome here: keep it off stderr.
  const previous = setLogSink(() => undefined);
  steps.push(() => void setLogSink(previous));
});
afterEach(async () => {
  for (const step of steps.splice(0).reverse()) await step();
  await cleanup();
});

/** A receiver answering every POST with `status`. */
async function receiver(status: number): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => res.writeHead(status).end(status === 204 ? undefined : 'bad token'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  steps.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits: () => hits };
}

async function openMonitoring(bus: EventBus<KioskEvents>): Promise<Monitoring> {
  const m = await Monitoring.open(dir, {
    settings: monitoringConfig.parse({}),
    rules: { binFullPercent: 90, binFullConfigured: false },
    now: () => T0,
    onTransition: (t: AlertTransition) => bus.emit('monitoring.alert', t),
  });
  return m;
}

async function openWebhook(bus: EventBus<KioskEvents>, url: string): Promise<WebhookChannel> {
  const channel = await WebhookChannel.open(bus, {
    url,
    token: 'secret',
    serial: 'RVM-1',
    attempts: 3,
    backoff: { firstMs: 10, factor: 2, maxMs: 10, jitter: false },
    timeoutMs: 2_000,
    file: `${dir}/deliveries.json`,
    sleep: async () => undefined,
  });
  steps.push(() => channel.close());
  return channel;
}

describe('webhook delivery status on the alert', () => {
  it('records "sent" on the raised transition, durably across a reopen', async () => {
    const hook = await receiver(204);
    const bus = new EventBus<KioskEvents>();
    const webhook = await openWebhook(bus, hook.url);
    let m = await openMonitoring(bus);
    let changed = 0;
    const off = wireAlertDeliveries(webhook, m.alerts, () => (changed += 1));
    await m.observe([{ sensor: 'bin.glass', value: 95, at: T0 }]);
    const [alert] = m.alerts.open();
    await eventually(() => m.alerts.get(alert!.id)?.history[0]?.delivery?.webhook !== undefined, { what: 'the delivery on the alert' });
    expect(m.alerts.get(alert!.id)!.history[0]!.delivery).toEqual({ webhook: { status: 'sent', at: expect.any(Number) } });
    expect(changed).toBe(1);

    off();
    await webhook.idle();
    await m.close();
    m = await openMonitoring(new EventBus<KioskEvents>());
    steps.push(() => m.close());
    expect(m.alerts.get(alert!.id)!.history[0]!.delivery?.webhook?.status).toBe('sent');
  });

  it('records "failed" with the error once the receiver refused, and copies settled deliveries over on wiring', async () => {
    const hook = await receiver(401);
    const bus = new EventBus<KioskEvents>();
    const webhook = await openWebhook(bus, hook.url);
    const m = await openMonitoring(bus);
    steps.push(() => m.close());
    // Not wired yet: the delivery settles in the webhook's own record only.
    await m.observe([{ sensor: 'bin.glass', value: 95, at: T0 }]);
    await webhook.idle();
    const [alert] = m.alerts.open();
    expect(alert!.history[0]!.delivery).toBeUndefined();
    expect(hook.hits()).toBe(1); // a 401 is final: no second attempt

    wireAlertDeliveries(webhook, m.alerts);
    await eventually(() => m.alerts.get(alert!.id)?.history[0]?.delivery?.webhook !== undefined, { what: 'the copied delivery' });
    expect(m.alerts.get(alert!.id)!.history[0]!.delivery!.webhook).toMatchObject({ status: 'failed', error: 'HTTP 401: bad token' });
  });

  it('ignores a delivery for a transition the alert does not have', async () => {
    const m = await openMonitoring(new EventBus<KioskEvents>());
    steps.push(() => m.close());
    await m.observe([{ sensor: 'bin.glass', value: 95, at: T0 }]);
    const [alert] = m.alerts.open();
    expect(await m.alerts.recordDelivery(alert!.id, { status: 'resolved', at: T0 }, 'webhook', { status: 'sent', at: T0 })).toBeNull();
    expect(await m.alerts.recordDelivery('no-such-alert', { status: 'raised', at: T0 }, 'webhook', { status: 'sent', at: T0 })).toBeNull();
    expect(m.alerts.get(alert!.id)!.history[0]!.delivery).toBeUndefined();
  });
});
