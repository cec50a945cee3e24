/**
 * setupMonitoringChannels(): the channels built from the configuration and fed from the kiosk's bus — a real
 * broker, a real webhook receiver and the server simulator — and torn down with the core.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { setupMonitoringChannels } from '../../src/app/setup-monitoring-channels.js';
import { setLogSink } from '../../src/log/logger.js';
import { channelsConfig } from '../../src/monitoring/channels/config.js';
import { testContext } from '../helpers/context.js';
import { eventually } from '../helpers/eventually.js';
import { mosquittoPath, MosquittoBroker, Watcher } from '../helpers/mosquitto.js';
import { makeTempDir } from '../helpers/outbox.js';
import { cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';
import { raised } from '../monitoring/channels/fixtures/alerts.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
  await cleanupServerSims();
});

async function context() {
  const { dir, cleanup } = await makeTempDir('rvm-channels-');
  cleanups.push(cleanup);
  const ctx = testContext(kioskConfig.parse({ dataDir: dir, machineName: 'RVM Pasar Baru' }));
  cleanups.push(() => ctx.core.dispose());
  return ctx;
}

async function receiver(): Promise<{ url: string; bodies: Array<Record<string, unknown>> }> {
  const bodies: Array<Record<string, unknown>> = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

describe('setupMonitoringChannels', () => {
  it('with nothing configured starts no channel', async () => {
    const ctx = await context();
    const channels = await setupMonitoringChannels(ctx, { serial: 'RVM-202601-006', config: channelsConfig.parse({}) });
    expect(channels.mqtt).toBeNull();
    expect(channels.webhook).toBeNull();
    expect(channels.getDeliveries('any')).toEqual([]);
    expect(ctx.bus.listenerCount('monitoring.alert')).toBe(0);
  });

  it.skipIf(!mosquittoPath)('publishes to the broker and the webhook from the bus, and says goodbye when the core is disposed', async () => {
    const broker = await MosquittoBroker.create();
    cleanups.push(() => broker.dispose());
    const dashboard = await Watcher.connect(broker.url, 'rvm/RVM-202601-006/#');
    cleanups.push(() => dashboard.close());
    const hook = await receiver();
    const ctx = await context();
    const config = channelsConfig.parse({ mqtt: { url: broker.url }, webhook: { url: hook.url, token: 'secret-token' } });
    const channels = await setupMonitoringChannels(ctx, { serial: 'RVM-202601-006', config });
    await eventually(() => channels.mqtt?.state().connection === 'connected', { what: 'the broker' });

    ctx.bus.emit('monitoring.alert', raised('bin-9'));
    await eventually(() => dashboard.on('rvm/RVM-202601-006/alerts').length === 1 && hook.bodies.length === 1, { what: 'the alert on both channels' });
    await channels.webhook!.idle();
    expect(channels.getDeliveries('bin-9')).toMatchObject([{ transition: 'raised', status: 'sent', httpStatus: 204 }]);
    expect(dashboard.on('rvm/RVM-202601-006/status')[0]!.json).toMatchObject({ state: 'online', machineName: 'RVM Pasar Baru', version: expect.any(String) });

    await ctx.core.dispose();
    await eventually(() => dashboard.on('rvm/RVM-202601-006/status').some((m) => m.json.reason === 'shutdown'), { what: 'the goodbye' });
    expect(ctx.bus.listenerCount('monitoring.alert')).toBe(0);
  });

  it('feeds the server link: alerts open on the bus ride in the next heartbeat', async () => {
    const sim = await startSim();
    const { link } = makeLink(sim);
    const ctx = await context();
    await setupMonitoringChannels(ctx, { serial: link.hardwareId, link, config: channelsConfig.parse({}) });
    ctx.bus.emit('monitoring.alert', raised('door-1', { rule: 'door_open_long', sensor: 'door', severity: 'critical' }));
    link.start();
    await eventually(() => sim.state.heartbeats.length === 1, { what: 'the first heartbeat' });
    expect(sim.state.heartbeats[0]).toMatchObject({ diagnostics: { open_alert_count: 1, open_alerts: [{ id: 'door-1', rule: 'door_open_long', severity: 'critical' }] } });
  });

  it('leaves MQTT off, naming the key, when the CA file cannot be read', async () => {
    const lines: string[] = [];
    // Kept off stderr: this error is the expected outcome here.
    const previous = setLogSink((_level, _scope, message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`));
    cleanups.push(() => void setLogSink(previous));
    const ctx = await context();
    const config = channelsConfig.parse({ mqtt: { url: 'mqtts://127.0.0.1:8883', tls: { ca: '/nonexistent/ca.pem' } } });
    const channels = await setupMonitoringChannels(ctx, { serial: 'RVM-202601-006', config });
    expect(channels.mqtt).toBeNull();
    expect(lines.join('\n')).toMatch(/monitoring\.mqtt\.tls\.ca/);
  });
});
