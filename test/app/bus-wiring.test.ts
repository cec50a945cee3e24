/**
 * Signals between features travel on the typed bus, wired in src/app: bin levels from the hardware reach
 * the server's heartbeat, and realtime hardware commands wait for the recycler's session to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServerLink } from '../../src/app/build-server-link.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { wireRemoteCommands } from '../../src/app/remote-commands.js';
import { setupHardware } from '../../src/app/setup-hardware.js';
import { setupServer } from '../../src/app/setup-server.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { testContext } from '../helpers/context.js';
import { eventually } from '../helpers/eventually.js';
import { describeWithSocat } from '../helpers/pty.js';
import { cleanupServerSims, startSim } from '../helpers/server-sim.js';

const contexts: KioskContext[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const ctx of contexts.splice(0)) await ctx.core.dispose();
  await cleanupServerSims();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describeWithSocat('bin levels on the bus', () => {
  it('reach the heartbeat as the fullest recyclable bin; the reject bin does not count', async () => {
    const sim = await startSim({ realtime: false });
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-bus-'));
    dirs.push(dataDir);
    const config = kioskConfig.parse({
      dataDir,
      hardware: { mode: 'simulator', heartbeatMs: 100, testPulseMs: 0, simulator: { timings: 'instant' } },
      server: { mode: 'remote', url: sim.url, credentials: sim.credentials },
    });
    const ctx = testContext(config, { demoMode: false });
    contexts.push(ctx);
    const seen: number[] = [];
    ctx.bus.on('machine.bins', (levels) => seen.push(levels.bins.glass.percent));
    await setupHardware(ctx);
    const server = await buildServerLink(ctx);
    setupServer(ctx, server);

    const rejectSeen: number[] = [];
    ctx.bus.on('machine.bins', (levels) => rejectSeen.push(levels.bins.reject.percent));
    await ctx.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'reject' });
    await eventually(() => rejectSeen.includes(100), { what: 'the reject bin at 100 % on the bus' });
    // Heartbeats sent from here on (the connection test's, and a periodic one that may land around it).
    let from = sim.state.heartbeats.length;
    await expect(ctx.core.call('server.testConnection', {})).resolves.toMatchObject({ ok: true });
    expect(sim.state.heartbeats.slice(from).map((h) => h.bin_capacity)).toEqual(expect.arrayContaining([0]));
    expect(sim.state.heartbeats.slice(from).every((h) => h.bin_capacity === 0)).toBe(true);

    await ctx.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });
    await eventually(() => seen.includes(100), { what: 'the glass bin at 100 % on the bus' });
    from = sim.state.heartbeats.length;
    await expect(ctx.core.call('server.testConnection', {})).resolves.toMatchObject({ ok: true });
    // The connection test's heartbeat is built after the bus carried 100 %: it says so (a periodic one built
    // just before may still arrive after it, under load).
    expect(sim.state.heartbeats.slice(from).map((h) => h.bin_capacity)).toContain(100);
  });
});

describe('remote hardware commands', () => {
  it('run at once when idle, wait while a session runs, and stop listening when disposed', async () => {
    const core = new KioskCore();
    const ctx = testContext(kioskConfig.parse({}), { core });
    contexts.push(ctx);
    const ran: string[] = [];
    core.handle('hardware.test', (request) => {
      ran.push(request.action);
      return { action: request.action, ok: true, roundTripMs: 0, detail: 'ok' };
    });
    const off = wireRemoteCommands(ctx);
    const command = (name: string, id: string) => ({ id, command: name, params: null, source: 'realtime' as const, at: new Date().toISOString() });

    ctx.bus.emit('server.command', command('open_door', 'r1'));
    await Promise.resolve();
    expect(ran).toEqual(['door_unlock']);

    ctx.bus.emit('session.phase', { phase: 'active', sessionId: 's1' });
    ctx.bus.emit('server.command', command('test_motor', 'r2'));
    ctx.bus.emit('server.command', { ...command('RESTART', 'r3'), source: 'heartbeat' });
    await Promise.resolve();
    expect(ran).toEqual(['door_unlock']);
    ctx.bus.emit('session.phase', { phase: 'idle', sessionId: null });
    await Promise.resolve();
    expect(ran).toEqual(['door_unlock', 'conveyor']);

    off();
    expect(ctx.bus.listenerCount('server.command')).toBe(0);
    expect(ctx.bus.listenerCount('session.phase')).toBe(0);
  });
});
