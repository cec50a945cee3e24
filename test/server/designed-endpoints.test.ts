/** The designed endpoints: used where a server has them, switched off cleanly where it does not. */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DesignedEndpoints } from '../../src/server/endpoints/designed.js';
import { cleanupServerSims, makeClient, startSim, type ServerSimulator } from '../helpers/server-sim.js';

afterEach(async () => {
  await cleanupServerSims();
});

function designedFor(sim: ServerSimulator) {
  const { client, delays } = makeClient(sim);
  return { designed: new DesignedEndpoints(client, { rvmId: () => sim.machineId, deviceId: () => sim.credentials.serial_number }), delays, client };
}

describe('on a server with the designed features', () => {
  it('reads the confidence threshold from the machine config', async () => {
    const sim = await startSim();
    const { designed } = designedFor(sim);
    const config = await designed.rvmConfig();
    expect(config.ok && config.data.data.confidence_threshold).toBe(0.75);
  });

  it('answers Range requests with 206 and 416 as HTTP says', async () => {
    const bytes = randomBytes(100);
    const sim = await startSim({ models: [{ name: 'm', version: 'v1', bytes }] });
    const sha = createHash('sha256').update(bytes).digest('hex');
    const headers = { 'X-RVM-API-KEY': sim.credentials.api_key };
    const part = await fetch(`${sim.url}/api/v1/edge/download-model/${sha}`, { headers: { ...headers, Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/100');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
    const beyond = await fetch(`${sim.url}/api/v1/edge/download-model/${sha}`, { headers: { ...headers, Range: 'bytes=200-' } });
    expect(beyond.status).toBe(416);
  });
});

describe('on today\'s MyRVM-Server (no designed features)', () => {
  it('switches each family off at its first 404 and stops calling it', async () => {
    const sim = await startSim({ designed: false });
    const { designed, delays } = designedFor(sim);
    for (let i = 0; i < 3; i += 1) {
      const r = await designed.rvmConfig();
      expect(r.ok ? null : r.kind).toBe('unsupported');
    }
    // Timezone sync (two spellings) is test/server/designed-timezone.test.ts.
    expect(sim.state.hitsOn(`/api/v2/rvms/${sim.machineId}/config`)).toBe(1);
    expect(delays).toEqual([]);
    expect(designed.state()).toMatchObject({ rvmConfig: 'absent' });
  });

  it('keeps a feature on when the failure is ours to fix (wrong API key is not "absent")', async () => {
    const sim = await startSim();
    const { designed } = designedFor(sim);
    sim.state.machine.apiKey = 'rotated-by-admin-000000000000000000000000000000000000000000000000';
    const r = await designed.rvmConfig();
    expect(r.ok ? 0 : r.status).toBe(401);
    expect(designed.state().rvmConfig).toBe('unknown');
  });
});
