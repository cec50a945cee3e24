/**
 * The API key stays home: `X-RVM-API-KEY` and `X-Machine-UUID` go only to the configured server's origin.
 * A second loopback server plays the third party; it must never see a request from the API client, whether
 * the URL is aimed at it directly (or by a path trick) or the server redirects there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DesignedTimezone } from '../../src/server/endpoints/designed-timezone.js';
import { setLogLevel } from '../../src/log/logger.js';
import type { ApiResult } from '../../src/server/api-client.js';
import { createDepositSender } from '../../src/server/deposit-sender.js';
import { DesignedEndpoints } from '../../src/server/endpoints/designed.js';
import { deposit, handshake, heartbeat, syncOffline } from '../../src/server/endpoints/edge.js';
import { guestSession, kioskConfig, maintenanceCommand, pinAuth, sessionToken } from '../../src/server/endpoints/kiosk.js';
import { eventually } from '../helpers/eventually.js';
import { json, startHostileServer, type HostileServer } from '../helpers/hostile-server.js';
import { cleanupServerSims, fakeJpeg, makeClient, makeLink, startSim } from '../helpers/server-sim.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await cleanupServerSims();
  setLogLevel('warn');
});

async function thirdParty(): Promise<HostileServer> {
  const server = await startHostileServer();
  // Whatever it is asked, it answers like a happy MyRVM server, so a leak would also look like success.
  server.otherwise(json(200, { status: 'success', success: true, synced_count: 1, commands: [] }));
  closers.push(() => server.close());
  return server;
}

const beat = { hardware_id: 'X', status: 'online', version: 't', bin_capacity: 0, health_metrics: { cpu_usage_percent: 1, memory_usage_percent: 1, disk_usage_percent: 1 }, ip_local: null };
const hello = { hardware_id: 'X', name: 'kiosk', ip_local: null, ip_vpn: null, timezone: 'Asia/Jakarta', system: { firmware_version: 't' }, health_metrics: beat.health_metrics, hardware_info: { cameras: [], sensors: [], actuators: [], microcontroller: [] } };
const record = { id: 'key-1', sessionId: 'guest_k', material: 'pet' as const, points: 10, weightGrams: 18, confidence: 0.9, at: '2026-01-31T03:00:00.000Z' };

describe('the API key stays home', () => {
  it('refuses, before sending anything, a URL that would leave the server: absolute, protocol-relative or by a path trick', async () => {
    setLogLevel('error');
    const sim = await startSim();
    const elsewhere = await thirdParty();
    const { client } = makeClient(sim);
    const host = new URL(elsewhere.url).host;
    const paths = [
      `${elsewhere.url}/api/v1/edge/heartbeat`, // an absolute URL to another origin
      `@${host}/api/v1/edge/heartbeat`, // base + path = http://server@elsewhere/… (userinfo trick)
      `//${host}/api/v1/edge/heartbeat`,
      `.attacker.invalid/api`, // base + path = http://127.0.0.1.attacker.invalid/… for a host name base
      'api/v1/edge/heartbeat',
    ];
    const results: Array<[string, ApiResult<unknown>]> = [];
    for (const path of paths) {
      for (const auth of ['edge', 'kiosk', 'none'] as const) {
        results.push([`${auth} ${path}`, await client.call({ method: 'POST', path, auth, json: beat, schema: z.unknown() })]);
      }
    }
    // Before the fix the URL was base + path, and "@host/…" made the key travel to the other server.
    expect(elsewhere.sawHeader('x-rvm-api-key')).toBe(false);
    expect(elsewhere.requests).toEqual([]);
    for (const [name, result] of results) {
      expect(result.ok ? null : [result.kind, result.status], name).toEqual(['refused', null]);
      expect(result.ok ? '' : result.message).toMatch(/^refused to send the request: /);
    }
    expect(client.stats.snapshot().total).toBe(0);
    // The server's own origin written out in full is fine.
    const same = await client.call({ method: 'POST', path: `${sim.url}/api/v1/edge/heartbeat`, auth: 'edge', json: beat, schema: z.unknown() });
    expect(same.ok).toBe(true);
  });

  it.each([301, 302, 303, 307, 308])('no request path follows a %i to another origin: handshake, heartbeat, deposit, sync-offline, kiosk and designed calls', async (status) => {
    setLogLevel('error');
    const sim = await startSim();
    const elsewhere = await thirdParty();
    const { client } = makeClient(sim);
    const designed = new DesignedEndpoints(client, { rvmId: () => sim.machineId, deviceId: () => 'X' });
    const sender = createDepositSender(client);
    sim.faults.add({ kind: 'redirect', status, location: `${elsewhere.url}/collect?from=kiosk` }); // every API path
    const image = { bytes: fakeJpeg(), contentType: 'image/jpeg' as const, filename: 'a.jpg' };
    const results: Array<[string, ApiResult<unknown>]> = [
      ['handshake', await handshake(client, hello)],
      ['heartbeat', await heartbeat(client, beat)],
      ['deposit', await deposit(client, { image, status: 'ACCEPTED', data: { client_id: 'x' } })],
      ['sync-offline', await syncOffline(client, [{ session_id: 's', timestamp: record.at, items: [{ type: 'plastic', weight: 0.1, points: 1, client_id: 'y', timestamp: record.at }] }])],
      ['session token', await sessionToken(client)],
      ['guest session', await guestSession(client)],
      ['pin', await pinAuth(client, '123456')],
      ['maintenance command', await maintenanceCommand(client, 'test_led' as never, 1)],
      ['kiosk config', await kioskConfig(client)],
      ['rvm config', await designed.rvmConfig()],
      ['session status', await designed.sessionStatus('t')],
    ];
    // Timezone sync (both spellings): a redirect is a failure with its status, never followed.
    const timezone = new DesignedTimezone(client, designed, { deviceId: () => 'X', memory: { get: () => null, set: () => undefined } });
    expect(await timezone.sync({ timezone: 'Asia/Jakarta', country: null, city: null, method: 'automatic', at: Date.now() })).toEqual({ kind: 'failed', reason: `http_${status}` });
    // undici's request never followed redirects (this held before the fix too); the guard is that it stays so.
    expect(elsewhere.requests).toEqual([]);
    for (const [name, result] of results) {
      expect(result.ok ? null : [result.kind, result.status], name).toEqual(['http', status]);
      expect(result.ok ? '' : result.message, name).toMatch(new RegExp(`^HTTP ${status}: the server redirected to ${elsewhere.url}/collect; redirects are not followed$`));
    }
    // The deposit sender's view: not delivered, try again (never ok, never parked).
    expect((await sender.sendDeposit({ ...record, image: fakeJpeg() })).kind).toBe('retryable');
    expect((await sender.sendOfflineBatch([record])).kind).toBe('retryable');
    expect(elsewhere.requests).toEqual([]);
  });

  it('a running link never reaches the other origin either (handshake, heartbeat, test connection, time zone)', async () => {
    setLogLevel('error');
    const sim = await startSim();
    const elsewhere = await thirdParty();
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online' });
    sim.faults.add({ kind: 'redirect', location: `${elsewhere.url}/api/v1/edge/heartbeat` });
    const test = await link.testConnection();
    expect(test.ok).toBe(false);
    const timezone = new DesignedTimezone(link.client, link.designed, { deviceId: () => link.hardwareId, memory: { get: () => null, set: () => undefined } });
    await timezone.sync({ timezone: 'Asia/Jakarta', country: 'Indonesia', city: 'Jakarta', method: 'manual', at: Date.now() });
    expect(sim.state.hitsOn('/api/v1/edge/handshake')).toBeGreaterThanOrEqual(2);
    expect(elsewhere.requests).toEqual([]);
  });
});
