/**
 * Remote access: off by default; when enabled, a real child process (`sleep 600`) runs for the session and
 * is killed on stop or at its hard limit; the designed server endpoints are used where they exist, and on
 * today's server one probe is all it costs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { setupRemoteAccess } from '../../src/app/setup-remote-access.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { reachableAddresses } from '../../src/remote/addresses.js';
import { fillCommand } from '../../src/remote/placeholders.js';
import { TunnelProcess, type EndReason } from '../../src/remote/tunnel-process.js';
import { simRemoteSessions } from '../../src/server/simulator/routes/designed-remote-routes.js';
import { testContext } from '../helpers/context.js';
import { eventually } from '../helpers/eventually.js';
import { cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';

let dir: string;
const cores: KioskCore[] = [];
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'rvm-remote-'))));
afterEach(async () => {
  for (const c of cores.splice(0)) await c.dispose();
  await cleanupServerSims();
  await rm(dir, { recursive: true, force: true });
});

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function kiosk(remoteAccess: Record<string, unknown> = {}) {
  const core = new KioskCore();
  core.setTechnicianCheck(() => true);
  cores.push(core);
  return testContext(kioskConfig.parse({ dataDir: dir, remoteAccess }), { core });
}

const SLEEP = ['sleep', '600', '{host}', '{port}'];
const pidOf = (remote: unknown) => (remote as { running: { process: TunnelProcess } | null }).running?.process.pid;

describe('remote.* commands', () => {
  it('is off by default: start is refused with remote_disabled and nothing runs', async () => {
    const ctx = kiosk();
    const remote = await setupRemoteAccess(ctx, null);
    const reply = await ctx.core.dispatch({ type: 'command', id: 1, name: 'remote.start', payload: { minutes: 5 } });
    expect(reply).toMatchObject({ ok: false, error: { reason: 'remote_disabled' } });
    expect(pidOf(remote)).toBeUndefined();
    expect(ctx.core.current('remote.state')).toMatchObject({ enabled: false, active: false, lastError: 'remote_disabled', server: 'none' });
  });

  it('with the designed server: starts the command with the granted host/port, reports addresses, and kills it on stop', async () => {
    const sim = await startSim();
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online' });
    const ctx = kiosk({ enabled: true, command: SLEEP });
    const remote = await setupRemoteAccess(ctx, link);

    const state = await ctx.core.call('remote.start', { minutes: 500 });
    expect(state).toMatchObject({ active: true, sessionId: 'ra_1', lastError: null, server: 'available' });
    expect(state.until! - state.since!).toBe(60 * 60_000); // cut to maxMinutes (60)
    const pid = pidOf(remote);
    expect(alive(pid)).toBe(true);
    expect(simRemoteSessions(sim.state)[0]).toMatchObject({ session_id: 'ra_1', ended_at: null, addresses: expect.any(Array) });

    const busy = await ctx.core.dispatch({ type: 'command', id: 2, name: 'remote.start', payload: {} });
    expect(busy).toMatchObject({ ok: false, error: { reason: 'remote_busy' } });

    const stopped = await ctx.core.call('remote.stop', {});
    expect(stopped.active).toBe(false);
    expect(alive(pid)).toBe(false);
    await eventually(() => simRemoteSessions(sim.state)[0]?.end_reason === 'stopped', { what: 'the server told' });
    expect((await ctx.core.call('remote.history', {})).entries[0]).toMatchObject({ id: 'ra_1', endReason: 'stopped', host: 'tunnel.sim.invalid' });
  });

  it("on today's server: refused with remote_unsupported after one probe, and no further calls", async () => {
    const sim = await startSim({ designed: false });
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online' });
    const ctx = kiosk({ enabled: true, command: SLEEP });
    const remote = await setupRemoteAccess(ctx, link);
    for (let n = 0; n < 3; n += 1) {
      const reply = await ctx.core.dispatch({ type: 'command', id: n, name: 'remote.start', payload: {} });
      expect(reply).toMatchObject({ ok: false, error: { reason: 'remote_unsupported' } });
    }
    expect(pidOf(remote)).toBeUndefined();
    expect(sim.state.hitsOn(`/api/v2/rvms/${sim.machineId}/remote-access/start`)).toBe(1);
    expect(ctx.core.current('remote.state')).toMatchObject({ active: false, server: 'absent', lastError: 'remote_unsupported' });
  });

  it('kills the session when the kiosk shuts down', async () => {
    const ctx = kiosk({ enabled: true, command: ['sleep', '600'] });
    const remote = await setupRemoteAccess(ctx, null); // no placeholders: runs without a server
    await ctx.core.call('remote.start', { minutes: 1 });
    const pid = pidOf(remote);
    expect(alive(pid)).toBe(true);
    await ctx.core.dispose();
    cores.splice(0);
    expect(alive(pid)).toBe(false);
  });
});

describe('the child process', () => {
  it('is killed at its hard limit', async () => {
    let ended: EndReason | null = null;
    const child = new TunnelProcess({ argv: ['sleep', '600'], limitMs: 200, logEveryMs: 10_000, onEnd: (reason) => (ended = reason) });
    expect(alive(child.pid)).toBe(true);
    await eventually(() => ended !== null, { what: 'the limit to end it' });
    expect(ended).toBe('expired');
    expect(alive(child.pid)).toBe(false);
  });

  it('reports a command that cannot start', async () => {
    let ended: EndReason | null = null;
    new TunnelProcess({ argv: ['/nonexistent/rvm-tunnel'], limitMs: 10_000, logEveryMs: 10_000, onEnd: (reason) => (ended = reason) });
    await eventually(() => ended !== null, { what: 'the spawn failure' });
    expect(ended).toBe('failed');
  });
});

describe('placeholders and addresses', () => {
  it('fills values from the server and refuses ones that could be read as options', () => {
    const cmd = ['timeout', '{seconds}', 'ssh', '-R', '{port}:localhost:22', '{user}@{host}'];
    expect(fillCommand(cmd, { sessionId: 'ra_1', host: 'tunnel.example.id', port: 22001, user: 'rvm' }, 1800)).toEqual(['timeout', '1800', 'ssh', '-R', '22001:localhost:22', 'rvm@tunnel.example.id']);
    expect(fillCommand(cmd, { sessionId: 'ra_1', host: '-oProxyCommand=sh', port: 22001, user: 'rvm' }, 60)).toMatch(/host is not a plain value/);
    expect(fillCommand(cmd, { sessionId: 'ra_1', host: 'h', port: 70000, user: 'rvm' }, 60)).toMatch(/port/);
    expect(fillCommand(cmd, { sessionId: 'ra_1' }, 60)).toMatch(/lacks/);
  });

  it('lists VPN interfaces first and leaves loopback and link-local out', () => {
    const list = reachableAddresses({
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null }],
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
        { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '', cidr: null, scopeid: 2 },
      ],
      wg0: [{ address: '10.8.0.5', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null }],
      tailscale0: [{ address: '100.101.1.2', family: 'IPv4', internal: false, netmask: '255.255.255.255', mac: '', cidr: null }],
    });
    expect(list.map((a) => [a.interface, a.vpn])).toEqual([['wg0', true], ['tailscale0', true], ['eth0', false]]);
  });
});
