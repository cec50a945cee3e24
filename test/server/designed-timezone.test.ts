/** The designed timezone endpoints over real HTTP against the simulator: both spellings, remembered, status; off on today's server. */
import { afterEach, describe, expect, it } from 'vitest';
import type { TimezoneSpelling, TimezoneSyncRequest } from '../../src/clock/ports.js';
import { DesignedEndpoints } from '../../src/server/endpoints/designed.js';
import { DesignedTimezone } from '../../src/server/endpoints/designed-timezone.js';
import { captureLogs, cleanupServerSims, makeClient, startSim, type ServerSimulator } from '../helpers/server-sim.js';

afterEach(async () => {
  await cleanupServerSims();
});

function timezoneFor(sim: ServerSimulator, remembered: TimezoneSpelling | null = null) {
  const { client, delays } = makeClient(sim);
  const designed = new DesignedEndpoints(client, { rvmId: () => sim.machineId, deviceId: () => sim.credentials.serial_number });
  const memory = { value: remembered, get: () => memory.value, set: (s: TimezoneSpelling) => void (memory.value = s) };
  const port = new DesignedTimezone(client, designed, { deviceId: () => sim.credentials.serial_number, memory, ip: () => '192.168.1.20' });
  return { port, designed, memory, delays };
}

let clock = 0;
const request = (over: Partial<TimezoneSyncRequest> = {}): TimezoneSyncRequest => ({ timezone: 'Asia/Makassar', country: 'Indonesia', city: 'Makassar', method: 'automatic', at: Date.parse('2026-01-31T03:00:00Z'), ...over });

describe('on a server with the designed timezone sync', () => {
  it('uses /api/v2/timezone/sync with the documented fields, remembers it, reads its status', async () => {
    clock = Date.now();
    const sim = await startSim({ now: () => clock });
    const { port, designed, memory } = timezoneFor(sim);
    expect(await port.sync(request())).toEqual({ kind: 'synced', timezone: 'Asia/Makassar', spelling: 'slash' });
    expect(memory.value).toBe('slash');
    expect(designed.state().timezone).toBe('available');
    expect(sim.state.timezoneSyncs[0]).toMatchObject({ spelling: 'slash', method: 'automatic', body: { device_id: sim.credentials.serial_number, timezone: 'Asia/Makassar', device_time: '2026-01-31T03:00:00.000Z', method: 'automatic' } });
    expect(await port.status()).toEqual({ timezone: 'Asia/Makassar', lastSyncAt: expect.any(String), syncCount: 1 });
    expect(sim.state.hitsOn(`/api/v2/timezone/status/${sim.credentials.serial_number}`)).toBe(1);
    clock += 61_000;
    await port.sync(request({ method: 'manual', timezone: 'Asia/Jayapura' }));
    expect(sim.state.hitsOn('/api/v2/timezone/sync/manual')).toBe(1);
    expect(sim.state.hitsOn('/api/v2/timezone-sync')).toBe(0);
  });

  it('falls back to /api/v2/timezone-sync (event, country, city, ip, timestamp, sync_method) where only that spelling exists, and starts there next time', async () => {
    clock = Date.now();
    const sim = await startSim({ now: () => clock });
    sim.faults.add({ kind: 'status', status: 404, path: '/api/v2/timezone/' });
    const { port, memory } = timezoneFor(sim);
    expect(await port.sync(request())).toMatchObject({ kind: 'synced', spelling: 'dash' });
    expect(memory.value).toBe('dash');
    expect(sim.state.timezoneSyncs[0]?.body).toEqual({
      device_id: sim.credentials.serial_number,
      event: 'timezone_sync',
      timezone: 'Asia/Makassar',
      country: 'Indonesia',
      city: 'Makassar',
      ip: '192.168.1.20',
      timestamp: '2026-01-31T03:00:00.000Z',
      sync_method: 'automatic',
    });
    expect(await port.status()).toMatchObject({ timezone: 'Asia/Makassar', syncCount: 1 });
    expect(sim.state.hitsOn(`/api/v2/timezone-status/${sim.credentials.serial_number}`)).toBe(1);
    clock += 61_000;
    await port.sync(request({ method: 'manual' }));
    expect(sim.state.hitsOn('/api/v2/timezone/sync')).toBe(1); // the probe only
    expect(sim.state.hitsOn('/api/v2/timezone-sync')).toBe(2);
  });

  it('a refusal (the once-a-minute limit) is a failure with its code, not a missing endpoint, and is not retried', async () => {
    const sim = await startSim();
    const { port, designed, delays } = timezoneFor(sim);
    await port.sync(request());
    expect(await port.sync(request())).toEqual({ kind: 'failed', reason: 'http_429' });
    expect(designed.state().timezone).toBe('available');
    expect(sim.state.hitsOn('/api/v2/timezone/sync')).toBe(2);
    expect(delays).toEqual([]);
  });

  it('a wrong API key (401 with an edge error_code) is ours to fix: a failure, the family stays on', async () => {
    const sim = await startSim();
    const { port, designed } = timezoneFor(sim);
    sim.state.machine.apiKey = 'rotated-by-admin-000000000000000000000000000000000000000000000000';
    expect(await port.sync(request())).toEqual({ kind: 'failed', reason: 'http_401' });
    expect(designed.state().timezone).toBe('unknown');
    expect(sim.state.hitsOn('/api/v2/timezone-sync')).toBe(0);
  });
});

describe("on today's MyRVM-Server (designed: false)", () => {
  it('probes each spelling once, switches the family off with one log line, then never calls again', async () => {
    const sim = await startSim({ designed: false });
    const logs = captureLogs();
    const { port, designed, memory, delays } = timezoneFor(sim);
    for (let i = 0; i < 4; i += 1) {
      expect(await port.sync(request())).toEqual({ kind: 'unsupported' });
      expect(await port.status()).toBeNull();
    }
    expect(sim.state.hitsOn('/api/v2/timezone/sync')).toBe(1);
    expect(sim.state.hitsOn('/api/v2/timezone-sync')).toBe(1);
    expect([...sim.state.hits.keys()].filter((p) => p.includes('status'))).toEqual([]);
    expect(designed.state().timezone).toBe('absent');
    expect(memory.value).toBeNull();
    expect(delays).toEqual([]);
    expect(logs.lines.filter((l) => l.scope === 'server.designed')).toHaveLength(1);
  });
});
