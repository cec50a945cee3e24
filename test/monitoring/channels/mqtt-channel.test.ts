/**
 * The MQTT channel against a real Mosquitto on loopback: fixed topics and payloads, the retained status,
 * queueing through a broker restart, the bounded queue's drop order, TLS with username/password, and a
 * clean stop. The last will under kill -9 is in mqtt-last-will.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/event-bus.js';
import type { KioskEvents } from '../../../src/domain/events.js';
import { MqttChannel, type MqttChannelOptions } from '../../../src/monitoring/channels/mqtt-channel.js';
import { eventually } from '../../helpers/eventually.js';
import { mosquittoPath, MosquittoBroker, Watcher } from '../../helpers/mosquitto.js';
import { requireTool } from '../../helpers/tools.js';
import { makeAlert, raised, readings, transition } from './fixtures/alerts.js';

const SERIAL = 'RVM-202601-006';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

async function broker(options: Parameters<typeof MosquittoBroker.create>[0] = {}): Promise<MosquittoBroker> {
  const b = await MosquittoBroker.create(options);
  cleanups.push(() => b.dispose());
  return b;
}

async function watcher(url: string, options: Parameters<typeof Watcher.connect>[2] = {}): Promise<Watcher> {
  const w = await Watcher.connect(url, `rvm/${SERIAL}/#`, options);
  cleanups.push(() => w.close());
  return w;
}

function channel(url: string, options: Partial<MqttChannelOptions> = {}) {
  const bus = new EventBus<KioskEvents>();
  const ch = new MqttChannel(bus, { url, serial: SERIAL, reconnect: { firstMs: 50, factor: 2, maxMs: 400, jitter: false }, machineName: 'RVM Pasar Baru', version: '0.1.0', ...options });
  cleanups.push(() => ch.stop());
  ch.start();
  return { bus, ch };
}

const distinctIds = (w: Watcher) => [...new Set(w.on(`rvm/${SERIAL}/alerts`).map((m) => m.json.id))];
const connected = (ch: MqttChannel) => eventually(() => ch.state().connection === 'connected', { what: 'the channel to connect' });

describe.skipIf(!mosquittoPath)('MQTT channel (real Mosquitto)', () => {
  it('publishes telemetry (QoS 0), alert transitions (QoS 1) and a retained online status on the fixed topics', async () => {
    const b = await broker();
    const w = await watcher(b.url);
    const { bus, ch } = channel(b.url);
    await connected(ch);
    const alert = makeAlert('a-1');
    bus.emit('monitoring.readings', [...readings(1), ...readings(2, 'temperature')]);
    bus.emit('monitoring.alert', transition(alert, 'raised'));
    bus.emit('monitoring.alert', transition(alert, 'acknowledged', 5, { kind: 'technician', name: 'Budi', assignmentId: 7 }, 'on my way'));

    await eventually(() => w.on(`rvm/${SERIAL}/alerts`).length === 2 && w.on(`rvm/${SERIAL}/telemetry`).length === 1, { what: 'telemetry and both alerts' });
    const [status] = w.on(`rvm/${SERIAL}/status`);
    expect(status!.json).toMatchObject({ state: 'online', serial: SERIAL, machineName: 'RVM Pasar Baru', version: '0.1.0' });
    expect(status!.json.at).toMatch(ISO);

    const telemetry = w.on(`rvm/${SERIAL}/telemetry`)[0]!;
    expect(telemetry.qos).toBe(0);
    expect(telemetry.json).toEqual({
      at: '2026-01-31T03:00:02.000Z',
      serial: SERIAL,
      readings: [
        { sensor: 'bin.glass', value: 1, at: '2026-01-31T03:00:01.000Z' },
        { sensor: 'temperature', value: 2, at: '2026-01-31T03:00:02.000Z' },
      ],
    });

    const alerts = w.on(`rvm/${SERIAL}/alerts`);
    expect(alerts.map((m) => m.qos)).toEqual([1, 1]);
    expect(alerts[0]!.json).toEqual({
      at: '2026-01-31T03:00:00.000Z',
      serial: SERIAL,
      id: 'a-1',
      rule: 'bin_full.glass',
      sensor: 'bin.glass',
      severity: 'warning',
      status: 'raised',
      effect: { kind: 'stop_material', material: 'glass' },
      value: 92,
      threshold: 90,
      thresholdSource: 'server',
      raisedAt: '2026-01-31T03:00:00.000Z',
      by: { kind: 'system' },
      note: null,
    });
    expect(alerts[1]!.json).toMatchObject({ status: 'acknowledged', at: '2026-01-31T03:05:00.000Z', by: { kind: 'technician', name: 'Budi', assignmentId: 7 }, note: 'on my way' });
    // The watcher can see an alert before the broker's PUBACK is back at the kiosk.
    await eventually(() => expect(ch.state()).toMatchObject({ published: { telemetry: 1, alert: 2 }, queued: { telemetry: 0, alert: 0 } }), { what: 'both PUBACKs' });

    // A dashboard that comes later still sees the machine online: the status is retained.
    const late = await watcher(b.url);
    await eventually(() => late.on(`rvm/${SERIAL}/status`).length === 1, { what: 'the retained status' });
    expect(late.on(`rvm/${SERIAL}/status`)[0]).toMatchObject({ retain: true, json: { state: 'online' } });
  });

  it('queues while the broker restarts and delivers everything, in order, once it is back', async () => {
    const b = await broker({ persistence: true });
    // The watcher's session survives the restart, so it gets what the kiosk sends whichever reconnects first.
    const w = await watcher(b.url, { persistent: 'watcher-restart' });
    const { bus, ch } = channel(b.url);
    await connected(ch);
    bus.emit('monitoring.alert', raised('before'));
    await eventually(() => w.on(`rvm/${SERIAL}/alerts`).length === 1, { what: 'the first alert' });

    await b.stop();
    await eventually(() => ch.state().connection === 'disconnected', { what: 'the channel to notice the broker is gone' });
    bus.emit('monitoring.alert', raised('during-1'));
    bus.emit('monitoring.readings', readings(7));
    bus.emit('monitoring.alert', raised('during-2'));
    expect(ch.state().queued).toEqual({ telemetry: 1, alert: 2 });

    await b.start();
    await eventually(
      () => {
        const got = { alerts: distinctIds(w), telemetry: w.on(`rvm/${SERIAL}/telemetry`).length };
        if (got.alerts.length < 3 || got.telemetry < 1) throw new Error(`watcher ${w.client.connected ? 'connected' : 'not connected'} has ${JSON.stringify(got)}; kiosk ${JSON.stringify(ch.state())}`);
      },
      { what: 'the queued messages after the restart', timeoutMs: 15_000 },
    );
    // The broker may hand the watcher "before" twice (its ack to the broker can be lost in the restart): QoS 1
    // is at least once on that leg too, so compare what arrived, in order of first arrival.
    expect(distinctIds(w)).toEqual(['before', 'during-1', 'during-2']);
    expect(w.on(`rvm/${SERIAL}/telemetry`)[0]!.json).toMatchObject({ readings: [{ sensor: 'bin.glass', value: 7 }] });
    // PUBACKs may still be on their way back to the kiosk when the watcher has the messages.
    await eventually(() => expect(ch.state()).toMatchObject({ connection: 'connected', queued: { telemetry: 0, alert: 0 }, failures: 0 }), { what: 'an empty queue' });
    // Online again after the restart, retained.
    await eventually(() => w.on(`rvm/${SERIAL}/status`).filter((m) => m.json.state === 'online').length >= 2, { what: 'online status after the restart' });
  });

  it('keeps alerts longest when the queue is full: the oldest telemetry is dropped first', async () => {
    const b = await broker({ persistence: true });
    const w = await watcher(b.url, { persistent: 'watcher-bounded' });
    await b.stop();
    const { bus, ch } = channel(b.url, { maxQueued: 5 });
    for (let n = 1; n <= 4; n += 1) bus.emit('monitoring.readings', readings(n));
    bus.emit('monitoring.alert', raised('x-1'));
    bus.emit('monitoring.alert', raised('x-2'));
    bus.emit('monitoring.alert', raised('x-3'));
    // 7 messages into 5 places: telemetry 1 and 2 go; all three alerts stay.
    expect(ch.state()).toMatchObject({ queued: { telemetry: 2, alert: 3 }, dropped: { telemetry: 2, alert: 0 } });
    for (let n = 4; n <= 9; n += 1) bus.emit('monitoring.alert', raised(`y-${n}`));
    // Only alerts left to drop: the oldest alerts go, never more than the bound is held.
    expect(ch.state()).toMatchObject({ queued: { telemetry: 0, alert: 5 }, dropped: { telemetry: 4, alert: 4 } });

    await b.start();
    await eventually(() => w.on(`rvm/${SERIAL}/alerts`).length === 5, { what: 'the five kept alerts', timeoutMs: 15_000 });
    expect(w.on(`rvm/${SERIAL}/alerts`).map((m) => m.json.id)).toEqual(['y-5', 'y-6', 'y-7', 'y-8', 'y-9']);
    expect(w.on(`rvm/${SERIAL}/telemetry`)).toEqual([]);
  });

  it('on a clean stop publishes a retained "offline" (shutdown) itself, and the will is not sent', async () => {
    const b = await broker();
    const w = await watcher(b.url);
    const { ch } = channel(b.url);
    await connected(ch);
    await eventually(() => w.on(`rvm/${SERIAL}/status`).length === 1, { what: 'online' });
    await ch.stop();
    await eventually(() => w.on(`rvm/${SERIAL}/status`).length === 2, { what: 'the goodbye status' });
    const goodbye = w.on(`rvm/${SERIAL}/status`)[1]!;
    expect(goodbye.json).toMatchObject({ state: 'offline', reason: 'shutdown', serial: SERIAL });
    expect(goodbye.json.at).toMatch(ISO);
    const late = await watcher(b.url);
    await eventually(() => late.on(`rvm/${SERIAL}/status`).length === 1, { what: 'the retained goodbye' });
    expect(late.on(`rvm/${SERIAL}/status`)[0]!.json).toMatchObject({ state: 'offline', reason: 'shutdown' });
    expect(w.on(`rvm/${SERIAL}/status`).some((m) => m.json.reason === 'connection_lost')).toBe(false);
  });
});

const openssl = requireTool('openssl');
const passwd = requireTool('mosquitto_passwd', ['/usr/bin/mosquitto_passwd']);

describe.skipIf(!mosquittoPath || !openssl || !passwd)('MQTT channel over TLS with a username and password (real Mosquitto)', () => {
  async function secureBroker() {
    const b0 = await broker({ deferStart: true });
    const cert = path.join(b0.dir, 'cert.pem');
    const key = path.join(b0.dir, 'key.pem');
    execFileSync(openssl!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const passwords = path.join(b0.dir, 'passwords');
    await writeFile(passwords, '');
    execFileSync(passwd!, ['-b', passwords, 'kiosk', 's3cret-pass'], { stdio: 'ignore' });
    execFileSync(passwd!, ['-b', passwords, 'dashboard', 'dash-pass'], { stdio: 'ignore' });
    const b = await broker({ listenerLines: [`certfile ${cert}`, `keyfile ${key}`, 'allow_anonymous false', `password_file ${passwords}`] });
    return { b, ca: await readFile(cert, 'utf8') };
  }

  it('connects with the CA and the credentials, and publishes', async () => {
    const { b, ca } = await secureBroker();
    expect(b.url).toMatch(/^mqtts:/);
    const w = await watcher(b.url, { ca, username: 'dashboard', password: 'dash-pass' });
    const { bus, ch } = channel(b.url, { ca, username: 'kiosk', password: 's3cret-pass' });
    await connected(ch);
    bus.emit('monitoring.alert', raised('tls-1'));
    await eventually(() => w.on(`rvm/${SERIAL}/alerts`).length === 1, { what: 'the alert over TLS' });
    expect(w.on(`rvm/${SERIAL}/status`)[0]!.json).toMatchObject({ state: 'online' });
  });

  it('with a wrong password keeps retrying with backoff, holds the alert, and says why', async () => {
    const { b, ca } = await secureBroker();
    const { bus, ch } = channel(b.url, { ca, username: 'kiosk', password: 'wrong' });
    bus.emit('monitoring.alert', raised('held'));
    await eventually(() => ch.state().failures >= 2, { what: 'two refused attempts' });
    expect(ch.state()).toMatchObject({ connection: 'disconnected', queued: { alert: 1 } });
    expect(ch.state().lastError).toMatch(/not authori[sz]ed/i);
  });

  it('refuses a broker whose certificate it cannot verify', async () => {
    const { b } = await secureBroker();
    const { ch } = channel(b.url, { username: 'kiosk', password: 's3cret-pass' });
    await eventually(() => ch.state().failures >= 1, { what: 'a refused TLS handshake' });
    expect(ch.state().lastError).toMatch(/self[- ]signed|certificate/i);
  });
});
