/** The simulator's own extras: Pusher v7 wire protocol, the /__sim control panel, the CLI. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { credentialsFile } from '../../src/server/credentials.js';
import { eventually } from '../helpers/eventually.js';
import { cleanupServerSims, startSim } from '../helpers/server-sim.js';

const dirs: string[] = [];
afterEach(async () => {
  await cleanupServerSims();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function frames(ws: WebSocket): Array<{ event: string; channel?: string; data: string }> {
  const got: Array<{ event: string; channel?: string; data: string }> = [];
  ws.on('message', (raw) => got.push(JSON.parse(raw.toString()) as { event: string; channel?: string; data: string }));
  return got;
}

/** The first frame named `event` (and on `channel`, if given), once it has arrived. */
function frame(got: ReturnType<typeof frames>, event: string, channel?: string) {
  return eventually(() => got.find((f) => f.event === event && (channel === undefined || f.channel === channel)) ?? false, { what: `a ${event} frame` });
}

describe('Pusher protocol v7 server', () => {
  it('establishes, subscribes, pongs, publishes with data as a JSON string, and refuses private channels', async () => {
    const sim = await startSim();
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/app/${sim.pusherAppKey}?protocol=7&client=js&version=8.6.0`);
    const got = frames(ws);
    const established = await frame(got, 'pusher:connection_established');
    expect(JSON.parse(established.data)).toMatchObject({ socket_id: expect.stringMatching(/^\d+\.\d+$/), activity_timeout: 30 });
    const channel = `rvm.${sim.machineUuid}`;
    ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel } }));
    await frame(got, 'pusher_internal:subscription_succeeded', channel);
    ws.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
    await frame(got, 'pusher:pong');
    ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: `private-${channel}` } }));
    await frame(got, 'pusher:error');
    expect(sim.publish('ui.update', { type: 'hardware_status', payload: { door: 'open' } })).toBe(1);
    const event = await frame(got, 'ui.update');
    expect(typeof event.data).toBe('string');
    expect(JSON.parse(event.data)).toEqual({ type: 'hardware_status', payload: { door: 'open' } });
    ws.close();
  });

  it('refuses a wrong app key', async () => {
    const sim = await startSim();
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/app/wrong-key?protocol=7`);
    const got = frames(ws);
    const error = await frame(got, 'pusher:error');
    expect(JSON.parse(error.data)).toMatchObject({ code: 4001 });
  });
});

describe('control panel /__sim', () => {
  it('switches faults and outages at run time and reports what arrived', async () => {
    const sim = await startSim();
    const post = (p: string, body: unknown) => fetch(`${sim.url}${p}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/__sim/faults', { rules: [{ kind: 'status', status: 502, times: 1 }] })).status).toBe(200);
    const headers = { Accept: 'application/json', 'X-Machine-UUID': sim.machineUuid };
    expect((await fetch(`${sim.url}/api/v1/kiosk/config`, { headers })).status).toBe(502);
    expect((await fetch(`${sim.url}/api/v1/kiosk/config`, { headers })).status).toBe(200);
    await post('/__sim/outage', { ms: 60_000, mode: '503' });
    expect((await fetch(`${sim.url}/api/v1/kiosk/config`, { headers })).status).toBe(503);
    await post('/__sim/outage', { ms: 0 });
    expect((await fetch(`${sim.url}/api/v1/kiosk/config`, { headers })).status).toBe(200);
    await post('/__sim/commands', { action: 'RESTART' });
    expect(sim.state.commandQueue.map((c) => c.action)).toEqual(['RESTART']);
    await post('/__sim/assignment', { status: 'revoked' });
    expect(sim.state.hasHeartbeatAssignment()).toBe(false);
    const bad = await post('/__sim/faults', { rules: [{ kind: 'explode' }] });
    expect(bad.status).toBe(422);
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ machine: { uuid: sim.machineUuid }, duplicate_client_ids: [], queued_commands: 1 });
  });

  it('answers unknown routes and wrong methods like Laravel', async () => {
    const sim = await startSim();
    const r404 = await fetch(`${sim.url}/api/v2/timezone/nope`, { headers: { Accept: 'application/json' } });
    expect(r404.status).toBe(404);
    expect(await r404.json()).toEqual({ message: 'The route api/v2/timezone/nope could not be found.' });
    const r405 = await fetch(`${sim.url}/api/v1/edge/handshake`, { headers: { Accept: 'application/json' } });
    expect(r405.status).toBe(405);
  });
});

describe('npm run sim:server', () => {
  it('prints its URL, writes fresh credentials and the PIN, and answers as a server', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rvm-sim-cli-'));
    dirs.push(dir);
    const credsFile = path.join(dir, 'rvm-credentials.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/simulator/cli.ts', '--pin', '135790', '--write-credentials', credsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const url = await eventually(() => /simulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? false, { what: 'the CLI to print its URL' });
      await eventually(() => out.includes('Ctrl+C'), { what: 'the CLI to finish its banner' });
      expect(out).toContain('Technician PIN: 135790');
      const creds = credentialsFile.parse(JSON.parse(readFileSync(credsFile, 'utf8')));
      expect(creds.api_key).toMatch(/^[A-Za-z0-9]{64}$/);
      const res = await fetch(`${url}/api/v1/edge/handshake`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-RVM-API-KEY': creds.api_key },
        body: JSON.stringify({ hardware_id: creds.serial_number, name: 'cli-test', ip_local: null }),
      });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
