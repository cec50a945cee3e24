/** The link as a whole: background handshake, heartbeat outcomes, commands once, QR login by polling. */
import { afterEach, describe, expect, it } from 'vitest';
import { phoneLogin } from '../../src/app/setup-server.js';
import type { ServerCommand } from '../../src/server/server-link.js';
import { captureLogs, cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';
import { eventually } from '../helpers/eventually.js';

afterEach(cleanupServerSims);

describe('server link', () => {
  it('starts while the server is down and completes the handshake in the background once it is back', async () => {
    const sim = await startSim();
    sim.outage(60_000);
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => Boolean(link.state.get().link === 'offline'), { what: 'link.state.get().link === \'offline\'' });
    expect(link.state.get().machineUuid).toBeNull();
    const guest = await link.session.startGuest();
    expect(guest.sessionId).toMatch(/^guest_local_[0-9a-f]{16}$/);
    sim.outage(0);
    await eventually(() => Boolean(link.state.get().link === 'online' && link.state.get().lastHeartbeatAt !== null), { what: 'link.state.get().link === \'online\' && link.state.get().lastHeartbeatAt !== null' });
    expect(link.state.get().machineUuid).toBe(sim.machineUuid);
    expect(sim.state.handshakes.length).toBe(1);
  });

  it('sends a handshake the real server accepts: ip_local always present, ip_vpn an IP or null, metrics within 0–100', async () => {
    const sim = await startSim();
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => Boolean(sim.state.heartbeats.length === 1), { what: 'sim.state.heartbeats.length === 1' });
    const body = sim.state.handshakes[0]!;
    expect(body).toHaveProperty('ip_local');
    expect(body.ip_vpn === null || typeof body.ip_vpn === 'string').toBe(true);
    expect(body.hardware_id).toBe(sim.credentials.serial_number);
    const m = body.health_metrics as Record<string, number>;
    for (const k of ['cpu_usage_percent', 'memory_usage_percent', 'disk_usage_percent']) {
      expect(m[k]).toBeGreaterThanOrEqual(0);
      expect(m[k]).toBeLessThanOrEqual(100);
    }
    expect(sim.state.heartbeats[0]).toMatchObject({ status: 'online', version: '0.0.0-test', bin_capacity: 0 });
    expect(sim.state.heartbeats[0]).toHaveProperty('ip_local');
  });

  it('shows "not commissioned" on a heartbeat 403 and keeps the link working', async () => {
    const sim = await startSim({ assignment: 'none' });
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => Boolean(link.state.get().link === 'not_commissioned'), { what: 'link.state.get().link === \'not_commissioned\'' });
    expect(link.state.get().lastError).toMatch(/No active technician assignment/);
    // Kiosk calls still work: guests get server session ids.
    expect((await link.session.startGuest()).sessionId).toMatch(/^guest_(?!local)/);
    sim.state.assignments.push({ id: 1, technicianName: 'T', status: 'assigned', pin: '000000', pinExpiresAt: null });
    const test = await link.testConnection();
    expect(test).toMatchObject({ ok: true, link: 'online' });
  });

  it('shows "unauthorized" when the API key is refused', async () => {
    const sim = await startSim();
    sim.state.machine.apiKey = 'regenerated-by-the-admin-0000000000000000000000000000000000000000';
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => Boolean(link.state.get().link === 'unauthorized'), { what: 'link.state.get().link === \'unauthorized\'' });
    expect(link.state.get().lastError).toMatch(/re-import/);
  });

  it('applies RESTART and GIT_PULL from the heartbeat exactly once, even when the server repeats them', async () => {
    const sim = await startSim();
    const { link, bus } = makeLink(sim);
    const commands: ServerCommand[] = [];
    bus.on('server.command', (c) => commands.push(c));
    link.start();
    await eventually(() => Boolean(link.state.get().lastHeartbeatAt !== null), { what: 'link.state.get().lastHeartbeatAt !== null' });
    sim.queueCommand('RESTART');
    sim.queueCommand('GIT_PULL');
    const repeated = [...sim.state.commandQueue];
    await link.testConnection();
    sim.state.commandQueue.push(...repeated);
    await link.testConnection();
    expect(commands.map((c) => [c.command, c.source])).toEqual([['RESTART', 'heartbeat'], ['GIT_PULL', 'heartbeat']]);
  });

  it('learns of a QR login by polling the designed status endpoint when realtime is off', async () => {
    const sim = await startSim({ realtime: false });
    const { link } = makeLink(sim, { realtime: { appKey: '' } });
    link.start();
    await eventually(() => Boolean(link.state.get().link === 'online'), { what: 'link.state.get().link === \'online\'' });
    const users: string[] = [];
    link.session.onAuthorized((u) => users.push(`${u.userName}:${u.sessionId}`));
    const qr = await link.session.qrToken();
    expect(qr.content).toMatch(/^myrvm:\/\/session\/[0-9a-f]{64}\?m=/);
    const sessionId = await phoneLogin(sim.url, link.session.currentToken()!, 'Ani');
    await eventually(() => Boolean(users.length === 1), { what: 'users.length === 1' });
    expect(users).toEqual([`Ani:${sessionId}`]);
  });

  it('on today\'s server a QR login cannot complete: status polling is switched off after its 404', async () => {
    const sim = await startSim({ realtime: false, designed: false });
    const { link } = makeLink(sim, { realtime: { appKey: '' } });
    link.start();
    await eventually(() => Boolean(link.state.get().link === 'online'), { what: 'link.state.get().link === \'online\'' });
    await link.session.qrToken();
    await eventually(() => Boolean(link.state.get().features.sessionStatus === 'absent'), { what: 'link.state.get().features.sessionStatus === \'absent\'' });
    await link.session.qrToken();
    // Real HTTP against the simulator and no event for "a poll did not happen": give the poller (qrPollMs)
    // several periods to prove it stays off.
    await new Promise((r) => setTimeout(r, 700));
    expect(sim.state.hitsOn('/api/v1/kiosk/session/status')).toBe(1);
  });

  it('publishes the timezone from the handshake (the v2 sync is the clock\'s: test/app/setup-clock-timezone.test.ts)', async () => {
    const sim = await startSim();
    const { link, bus } = makeLink(sim);
    const zones: string[] = [];
    bus.on('server.timezone', (z) => zones.push(`${z.source}:${z.timezone}`));
    link.start();
    await eventually(() => zones.length === 1, { what: 'the handshake zone' });
    await link.testConnection(); // a second handshake publishes again, and nothing else does
    expect(zones).toEqual(['handshake:Asia/Jakarta', 'handshake:Asia/Jakarta']);
    expect(sim.state.timezoneSyncs).toEqual([]);
  });

  it('never writes the API key to a log, whatever goes wrong', async () => {
    const sim = await startSim();
    const key = sim.credentials.api_key;
    const logs = captureLogs();
    sim.faults.add({ path: '/api/v1/edge/handshake', kind: 'malformed', times: 1 });
    sim.faults.add({ path: '/api/v1/edge/heartbeat', kind: 'status', status: 500, times: 1 });
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => Boolean(link.state.get().lastHeartbeatAt !== null), { what: 'link.state.get().lastHeartbeatAt !== null' });
    sim.state.machine.apiKey = 'rotated-00000000000000000000000000000000000000000000000000000000';
    await link.testConnection();
    expect(logs.lines.length).toBeGreaterThan(5);
    expect(logs.text()).not.toContain(key);
    expect(JSON.stringify(link.state.get())).not.toContain(key);
  });
});
