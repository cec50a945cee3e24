/**
 * The kiosk-config poll (the polling fallback's connection check, every ~30 s while realtime is down) makes one
 * attempt a round: the next round is its retry. Retrying inside each poll tripled what a fleet's polls cost
 * the server while it was away. Real simulator on loopback; the client's sleeps are recorded, not waited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';
import { eventually } from '../helpers/eventually.js';

afterEach(cleanupServerSims);

describe('kiosk-config poll: one attempt per round', () => {
  it('the kiosk-config poll sends one request per round while the server fails', async () => {
    const sim = await startSim({ realtime: false });
    const { link, delays } = makeLink(sim, { configPollMs: 1_000, spreadMs: 0, realtime: { appKey: '' } });
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online' });
    sim.faults.add({ path: '/api/v1/kiosk/config', kind: 'status', status: 503 });
    const before = delays.length;
    await eventually(() => sim.state.hitsOn('/api/v1/kiosk/config') >= 2, { what: 'two polls' });
    // Each poll failed once and was not retried within the round: no backoff sleep was asked for.
    expect(delays.slice(before)).toEqual([]);
  });
});
