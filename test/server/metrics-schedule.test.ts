/**
 * Designed `POST rvms/{id}/metrics`: sent once right after the link comes up, then every `metricsEveryMs`
 * (5 minutes unless configured), with the device API key, carrying CPU, memory, disk, temperatures and the
 * items/rejects of the period; on today's server one probe and then silence.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/event-bus.js';
import type { KioskEvents, SessionItem } from '../../src/domain/events.js';
import { ServerFeed } from '../../src/monitoring/channels/server-feed.js';
import { serverConfig } from '../../src/server/config.js';
import { thermalZones } from '../../src/server/thermal-zones.js';
import { eventually } from '../helpers/eventually.js';
import { captureLogs, cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

afterEach(async () => {
  vi.useRealTimers();
  await cleanupServerSims();
});

const item = (accepted: boolean, n: number): SessionItem => ({ id: `i${n}`, material: 'pet', accepted, points: accepted ? 10 : 0, outcome: (accepted ? 'accepted' : 'rejected') as SessionItem['outcome'], returned: !accepted, at: n });

it('defaults to every 5 minutes and refuses a silly interval', () => {
  expect(serverConfig.parse({}).metricsEveryMs).toBe(300_000);
  expect(() => serverConfig.parse({ metricsEveryMs: 500 })).toThrow();
});

it('sends metrics as soon as the link is up, then every metricsEveryMs, with items and rejects per period', async () => {
  // Only setInterval is faked: HTTP and the handshake's timers run for real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const sim = await startSim();
  const bus = new EventBus<KioskEvents>();
  const feed = new ServerFeed(bus);
  const { link } = makeLink(sim, { metricsEveryMs: 300_000 }, { monitoring: { openAlerts: () => [], drainReadings: () => feed.drainReadings(), drainItemCounts: () => feed.drainItemCounts() } });
  bus.emit('session.item', item(true, 1));
  bus.emit('session.item', item(false, 2));
  link.start();
  await eventually(() => sim.state.metrics.length === 1, { what: 'metrics right after the handshake' });
  const first = sim.state.metrics[0] as Record<string, any>;
  expect(first.items).toEqual({ accepted: 1, rejected: 1 });
  expect(first.health_metrics).toMatchObject({ cpu_usage_percent: expect.any(Number), memory_usage_percent: expect.any(Number), disk_usage_percent: expect.any(Number) });
  expect(first.temperatures).toEqual(expect.any(Object));
  // The simulator's route checks X-RVM-API-KEY like every edge route: a 201 means the device key went along.
  await eventually(() => link.designed.state().metrics === 'available', { what: 'metrics marked available' });

  bus.emit('session.item', item(true, 3));
  await vi.advanceTimersByTimeAsync(299_999);
  expect(sim.state.metrics).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  await eventually(() => sim.state.metrics.length === 2, { what: 'the 5-minute send' });
  expect((sim.state.metrics[1] as Record<string, any>).items).toEqual({ accepted: 1, rejected: 0 });
  feed.stop();
});

it("on today's server probes once, switches metrics off with one log line, and never calls again", async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const logs = captureLogs();
  const sim = await startSim({ designed: false });
  const { link } = makeLink(sim, {}, { monitoring: { openAlerts: () => [], drainReadings: () => [] } });
  link.start();
  await eventually(() => link.designed.state().metrics === 'absent', { what: 'metrics switched off' });
  for (let n = 0; n < 5; n += 1) await vi.advanceTimersByTimeAsync(300_000);
  expect(sim.state.hitsOn(`/api/v2/rvms/${sim.machineId}/metrics`)).toBe(1);
  expect(logs.lines.filter((l) => l.message.includes('switched off') && l.fields?.feature === 'metrics')).toHaveLength(1);
  expect(logs.lines.filter((l) => l.level === 'error')).toEqual([]);
});

it('reads every thermal zone by type, and nothing where there is none', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'rvm-thermal-'));
  try {
    for (const [n, type, temp] of [[0, 'CPU-therm', '41500'], [1, 'GPU-therm', '39000'], [2, 'CPU-therm', '40000']] as const) {
      await mkdir(path.join(root, `thermal_zone${n}`));
      await writeFile(path.join(root, `thermal_zone${n}`, 'type'), `${type}\n`);
      await writeFile(path.join(root, `thermal_zone${n}`, 'temp'), `${temp}\n`);
    }
    expect(thermalZones(root)).toEqual({ 'CPU-therm': 41.5, 'GPU-therm': 39, 'CPU-therm.thermal_zone2': 40 });
    expect(thermalZones(path.join(root, 'missing'))).toEqual({});
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
