/**
 * Writing the designed `rvms/{id}/config` (RvmConfigWriter) against the simulator: saved where the server
 * reads and takes it (and the simulator tells realtime listeners with `config_update`), refused with the
 * server's validation message, not sent at all on today's server, and not repeated where writes 404.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DesignedEndpoints } from '../../src/server/endpoints/designed.js';
import { RvmConfigWriter } from '../../src/server/endpoints/designed-config.js';
import { setLogLevel } from '../../src/log/logger.js';
import { cleanupServerSims, makeClient, startSim, type ServerSimulator } from '../helpers/server-sim.js';

afterEach(async () => {
  setLogLevel('warn');
  await cleanupServerSims();
});

function writerFor(sim: ServerSimulator, rvmId: number | null = sim.machineId) {
  const { client } = makeClient(sim, { retry: { attempts: 1 } });
  const paths: string[] = [];
  client.onExchange(({ path, status }) => paths.push(`${path} ${status}`));
  const designed = new DesignedEndpoints(client, { rvmId: () => rvmId, deviceId: () => sim.credentials.serial_number });
  return { designed, writer: new RvmConfigWriter(client, designed, () => rvmId), paths };
}

describe('RvmConfigWriter', () => {
  it('PATCHes the threshold where the server offers rvms/{id}/config, and the simulator announces config_update', async () => {
    const sim = await startSim();
    const published: unknown[] = [];
    const original = sim.pusher!.publish.bind(sim.pusher);
    sim.pusher!.publish = (channel, event, payload) => {
      published.push({ channel, event, payload });
      return original(channel, event, payload);
    };
    const { designed, writer } = writerFor(sim);
    expect(await writer.setConfidenceThreshold(0.6)).toMatchObject({ result: 'not_offered' }); // nothing read yet
    await designed.rvmConfig();
    expect(await writer.setConfidenceThreshold(0.6)).toEqual({ result: 'saved', value: 0.6 });
    expect(sim.state.confidenceThreshold).toBe(0.6);
    expect(published).toContainEqual({ channel: `rvm.${sim.machineUuid}`, event: 'config_update', payload: expect.objectContaining({ confidence_threshold: 0.6 }) });
  });

  it("reports the server's refusal of a value as failed, with its message", async () => {
    setLogLevel('error');
    const sim = await startSim();
    const { designed, writer } = writerFor(sim);
    await designed.rvmConfig();
    expect(await writer.setConfidenceThreshold(1.5)).toMatchObject({ result: 'failed', detail: expect.stringMatching(/confidence threshold/i) });
    expect(sim.state.confidenceThreshold).toBe(0.75);
  });

  it("sends nothing on today's server (designed off), once the read found no such family", async () => {
    setLogLevel('error');
    const sim = await startSim({ designed: false });
    const { designed, writer, paths } = writerFor(sim);
    await designed.rvmConfig();
    expect(designed.state().rvmConfig).toBe('absent');
    expect(await writer.setConfidenceThreshold(0.6)).toMatchObject({ result: 'not_offered' });
    expect(await writer.setConfidenceThreshold(0.7)).toMatchObject({ result: 'not_offered' });
    expect(paths).toEqual([`/api/v2/rvms/${sim.machineId}/config 404`]);
  });
});
