/** Contract tests of the edge calls (X-RVM-API-KEY) against the simulator, quirks included. */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deposit, handshake, heartbeat, syncOffline } from '../../src/server/endpoints/edge.js';
import { ApiClient } from '../../src/server/api-client.js';
import { parseCredentials } from '../../src/server/credentials.js';
import { createHttpTransport } from '../../src/server/http/transport.js';
import { generateApiKey } from '../../src/server/simulator/sim-identity.js';
import type { HandshakeRequest } from '../../src/server/schemas/edge.js';
import { cleanupServerSims, fakeJpeg, makeClient, startSim, type ServerSimulator } from '../helpers/server-sim.js';

afterEach(cleanupServerSims);

const metrics = { cpu_usage_percent: 12.5, memory_usage_percent: 40, disk_usage_percent: 71.2 };
const hs = (over: Partial<HandshakeRequest> = {}): HandshakeRequest => ({
  hardware_id: 'RVM-202601-006',
  name: 'jetson-kantin',
  ip_local: '192.168.1.20',
  ip_vpn: null,
  timezone: 'Asia/Makassar',
  system: { firmware_version: '0.1.0' },
  health_metrics: metrics,
  hardware_info: { cameras: [], sensors: [], actuators: [], microcontroller: [] },
  ...over,
});
const beat = { hardware_id: 'RVM-202601-006', status: 'online', version: '0.1.0', bin_capacity: 35, health_metrics: metrics, ip_local: '192.168.1.20' };

function clientWithKey(sim: ServerSimulator, key: string): ApiClient {
  const client = new ApiClient({
    baseUrl: sim.url,
    credentials: parseCredentials({ ...sim.credentials, api_key: key }, 'test'),
    transport: createHttpTransport({ maxSockets: 1 }),
    retry: { attempts: 1, factor: 2, firstDelayMs: 0, capMs: 0 },
  });
  return client;
}

describe('handshake', () => {
  it('returns the nested identity, kiosk, websocket, policy and model sections', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { uuid: false });
    const result = await handshake(client, hs());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const d = result.data.data;
    expect(d.identity.rvm_uuid).toBe(sim.machineUuid);
    expect(d.identity.rvm_id).toBe(sim.machineId);
    expect(d.kiosk.timezone).toBe('Asia/Makassar');
    expect(d.kiosk.url).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${sim.port}/rvm-ui/${sim.machineUuid}\\?signature=[0-9a-f]{64}$`));
    expect(d.websocket).toMatchObject({ channel: `rvm.${sim.machineUuid}`, port: 443, scheme: 'wss' });
    expect(d.policy?.is_maintenance_mode).toBe(false);
    expect(sim.state.handshakes[0]).toMatchObject({ hardware_id: 'RVM-202601-006', ip_local: '192.168.1.20', ip_vpn: null });
  });

  it('answers 500 when ip_local is left out, after updating the machine (real-server quirk)', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { uuid: false, retry: { attempts: 1 } });
    const { ip_local: _dropped, ...body } = hs();
    const result = await client.call({ method: 'POST', path: '/api/v1/edge/handshake', auth: 'edge', json: body, schema: z.unknown() });
    expect(result.ok ? 0 : result.status).toBe(500);
    expect(sim.state.machine.status).toBe('online');
  });

  it('refuses a non-IP ip_vpn with Laravel\'s 422 shape', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { uuid: false });
    const result = await client.call({ method: 'POST', path: '/api/v1/edge/handshake', auth: 'edge', json: { ...hs(), ip_vpn: 'Not Connected', hardware_id: '' }, schema: z.unknown() });
    expect(result.ok ? 0 : result.status).toBe(422);
    expect(result.ok ? null : result.body).toEqual({
      message: 'The hardware id field is required. (and 1 more error)',
      errors: { hardware_id: ['The hardware id field is required.'], ip_vpn: ['The ip vpn field must be a valid IP address.'] },
    });
  });

  it('refuses health metrics over 100', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { uuid: false });
    const result = await handshake(client, hs({ health_metrics: { ...metrics, cpu_usage_percent: 140 } }));
    expect(result.ok ? 0 : result.status).toBe(422);
  });

  it('tells a missing key, a wrong key and a blocked machine apart', async () => {
    const sim = await startSim();
    const wrong = clientWithKey(sim, generateApiKey());
    const bad = await handshake(wrong, hs());
    expect(bad.ok ? null : [bad.status, (bad.body as { error_code: string }).error_code]).toEqual([401, 'INVALID_API_KEY']);
    await wrong.close();
    const raw = await fetch(`${sim.url}/api/v1/edge/handshake`, { method: 'POST', headers: { Accept: 'application/json' } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ status: 'error', error_code: 'MISSING_API_KEY', message: 'Kunci API Tidak Valid. Silakan import ulang kredensial.' });
    sim.state.machine.status = 'blocked';
    const { client } = makeClient(sim, { uuid: false });
    const blocked = await handshake(client, hs());
    expect(blocked.ok ? null : [blocked.status, (blocked.body as { error_code: string }).error_code]).toEqual([403, 'MACHINE_BLOCKED']);
  });
});

describe('heartbeat', () => {
  it('returns server_time in +07:00 and hands each queued command out once', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    sim.queueCommand('GIT_PULL');
    sim.queueCommand('RESTART');
    const first = await heartbeat(client, beat);
    expect(first.ok && first.data.server_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(first.ok && first.data.commands.map((c) => c.action)).toEqual(['GIT_PULL', 'RESTART']);
    const second = await heartbeat(client, beat);
    expect(second.ok && second.data.commands).toEqual([]);
    expect(sim.state.machine.capacityPercentage).toBe(35);
  });

  it('is refused with 403 without an active technician assignment', async () => {
    const sim = await startSim({ assignment: 'none' });
    const { client, delays } = makeClient(sim);
    const result = await heartbeat(client, beat);
    expect(result.ok ? 0 : result.status).toBe(403);
    expect(result.ok ? '' : result.message).toMatch(/No active technician assignment/);
    expect(delays).toEqual([]);
  });

  it('accepts the assignment states the server counts (assigned, not only active)', async () => {
    const sim = await startSim({ assignment: 'assigned' });
    const { client } = makeClient(sim);
    expect((await heartbeat(client, beat)).ok).toBe(true);
    sim.state.assignments[0]!.status = 'completed';
    expect((await heartbeat(client, beat)).ok).toBe(false);
  });
});

describe('deposit', () => {
  it('uploads image, status and data as multipart and gets 201 with the echoed data', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const data = { client_id: 'c-1', session_id: 'guest_abc', material: 'PLASTIC', weight_g: 15.5 };
    const result = await deposit(client, { image: { bytes: fakeJpeg(), contentType: 'image/jpeg', filename: 'c-1.jpg' }, status: 'ACCEPTED', data, sessionId: 'guest_abc' });
    expect(result.ok).toBe(true);
    expect(result.ok ? null : result.message).toBeNull();
    if (!result.ok) return;
    expect(result.status).toBe(201);
    expect(result.data.data?.ai_result).toEqual(data);
    expect(result.data.data?.image_url).toMatch(/^\/storage\/deposits\/\d{4}-\d\d-\d\d\/guest_abc\/[0-9a-f]+\.jpg$/);
    expect(sim.state.deposits).toMatchObject([{ clientId: 'c-1', status: 'ACCEPTED', sessionId: 'guest_abc', imageType: 'jpg' }]);
  });

  it('requires a real image', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const result = await deposit(client, { image: { bytes: Buffer.from('not an image'), contentType: 'image/jpeg', filename: 'x.jpg' }, status: 'ACCEPTED', data: {} });
    expect(result.ok ? 0 : result.status).toBe(422);
    expect(Object.keys((result.ok ? {} : (result.body as { errors: object }).errors) ?? {})).toEqual(['image']);
    expect(sim.state.deposits).toHaveLength(0);
  });
});

describe('sync-offline', () => {
  const tx = (id: string) => ({ session_id: 's1', timestamp: '2026-01-31T10:00:00+07:00', items: [{ type: 'plastic', weight: 0.02, points: 10, client_id: id, timestamp: '2026-01-31T10:00:00+07:00' }] });

  it('stores every transaction and does not de-duplicate (real-server behaviour)', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const first = await syncOffline(client, [tx('a'), tx('b')]);
    expect(first.ok && first.data.synced_count).toBe(2);
    await syncOffline(client, [tx('a')]);
    expect(sim.state.receivedClientIds()).toEqual(['a', 'b', 'a']);
    expect(sim.state.duplicateClientIds()).toEqual(['a']);
  });

  it('422 for a non-array, 500 and a full rollback for a malformed item', async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { retry: { attempts: 1 } });
    const notArray = await client.call({ method: 'POST', path: '/api/v1/edge/sync-offline', auth: 'edge', json: { transactions: 'x' }, schema: z.unknown() });
    expect(notArray.ok ? null : notArray.body).toEqual({ status: 'error', message: 'Invalid format' });
    const broken = await client.call({
      method: 'POST',
      path: '/api/v1/edge/sync-offline',
      auth: 'edge',
      json: { transactions: [tx('ok'), { session_id: 's', timestamp: 't', items: [{ weight: 1, points: 1 }] }] },
      schema: z.unknown(),
    });
    expect(broken.ok ? 0 : broken.status).toBe(500);
    expect(sim.state.offlineItems).toHaveLength(0);
  });
});
