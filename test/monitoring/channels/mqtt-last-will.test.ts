/**
 * The broker tells the fleet when a kiosk dies: a real child process publishing through the MQTT channel is
 * killed with SIGKILL (no goodbye, no DISCONNECT), and a dashboard subscribed to the status topic sees the
 * retained last will `{"state":"offline"}`, as does one that subscribes afterwards.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { mosquittoPath, MosquittoBroker, Watcher } from '../../helpers/mosquitto.js';
import { spawnTsx, type JsonChild } from '../../helpers/outbox.js';

const CHILD = fileURLToPath(new URL('./fixtures/mqtt-kiosk-child.ts', import.meta.url));
const SERIAL = 'RVM-202601-042';
const STATUS = `rvm/${SERIAL}/status`;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

describe.skipIf(!mosquittoPath)('MQTT last will under kill -9 (real Mosquitto, real child process)', () => {
  it('shows the killed kiosk offline through its retained last will', async () => {
    const broker = await MosquittoBroker.create();
    cleanups.push(() => broker.dispose());
    const dashboard = await Watcher.connect(broker.url, `rvm/${SERIAL}/#`);
    cleanups.push(() => dashboard.close());

    const child: JsonChild = spawnTsx(CHILD, { BROKER_URL: broker.url, SERIAL });
    cleanups.push(() => void (child.proc.exitCode === null && child.proc.kill('SIGKILL')));
    await child.waitFor((l) => l.published === true, 'the kiosk to publish an alert');
    await eventually(() => dashboard.on(STATUS).some((m) => m.json.state === 'online'), { what: 'the kiosk online' });
    expect(dashboard.on(`rvm/${SERIAL}/alerts`).map((m) => m.json.id)).toEqual(['before-the-kill']);

    child.proc.kill('SIGKILL');
    await child.exited;
    expect(child.proc.signalCode).toBe('SIGKILL');

    const will = await eventually(() => dashboard.on(STATUS).find((m) => m.json.state === 'offline') ?? false, { what: 'the last will' });
    expect(will.json).toEqual({ state: 'offline', serial: SERIAL, reason: 'connection_lost' });

    // A dashboard opened later sees the same: the will is retained, it replaced "online".
    const later = await Watcher.connect(broker.url, STATUS);
    cleanups.push(() => later.close());
    await eventually(() => later.messages.length === 1, { what: 'the retained status' });
    expect(later.messages[0]).toMatchObject({ retain: true, json: { state: 'offline', reason: 'connection_lost' } });
  });
});
