/** buildServerLink + setupServer wired into a real kiosk core: demo mode end to end, remote mode, and no configuration. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServerLink, type ServerParts } from '../../src/app/build-server-link.js';
import type { KioskContext } from '../../src/app/context.js';
import { setupServer } from '../../src/app/setup-server.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { testContext } from '../helpers/context.js';
import { cleanupServerSims, fakeJpeg, startSim } from '../helpers/server-sim.js';
import { eventually } from '../helpers/eventually.js';

const cores: KioskCore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  await cleanupServerSims();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function context(config: Record<string, unknown>): KioskContext {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-setup-server-'));
  dirs.push(dataDir);
  const core = new KioskCore();
  cores.push(core);
  const parsed = kioskConfig.parse({ dataDir, ...config });
  const ctx = testContext(parsed, { core, demoMode: parsed.server.mode === 'simulator', machineName: parsed.machineName });
  ctx.status.markStarted();
  return ctx;
}

async function start(ctx: KioskContext): Promise<ServerParts> {
  const parts = await buildServerLink(ctx);
  setupServer(ctx, parts);
  return parts;
}

describe('setupServer in demo mode', () => {
  it('runs the simulator with realtime, logs in by QR through the demo phone, and serves the other domains', async () => {
    const ctx = context({ server: { simulator: { pin: '246810' } } });
    const samples: number[] = [];
    let onlines = 0;
    ctx.bus.on('server.online', () => (onlines += 1));
    const parts = await buildServerLink(ctx);
    parts.link!.onTimeSample((s) => samples.push(s.serverTime));
    setupServer(ctx, parts);
    const session = parts.session;
    await eventually(() => Boolean(ctx.core.current('server.state')?.realtime === 'realtime' && ctx.core.current('server.state')?.lastHeartbeatAt), { what: 'ctx.core.current(\'server.state\')?.realtime === \'realtime\' && ctx.core.current(\'ser...' });
    const state = ctx.core.current('server.state')!;
    expect(state).toMatchObject({ mode: 'simulator', link: 'online', realtime: 'realtime' });
    expect(JSON.stringify(state)).not.toMatch(/api_key|X-RVM/i);
    expect(samples.length).toBeGreaterThan(0);
    expect(onlines).toBe(1);

    const users: string[] = [];
    session.onAuthorized((u) => users.push(u.userName));
    await session.qrToken();
    const { sessionId } = await ctx.core.call('server.simulatePhoneLogin', { userName: 'Dewi' });
    await eventually(() => Boolean(users.length === 1), { what: 'users.length === 1' });
    expect(users).toEqual(['Dewi']);
    expect(sessionId).toMatch(/^member_/);

    expect(await parts.verifyPin('246810')).toMatchObject({ kind: 'ok' });
    const sent = await parts.sender.sendDeposit({ id: 'd-1', sessionId, material: 'pet', points: 10, weightGrams: 20, confidence: 0.9, at: new Date().toISOString(), image: fakeJpeg() });
    expect(sent).toEqual({ kind: 'ok', accepted: 1, via: 'deposit' });

    const status = await ctx.core.call('server.status', {});
    expect(status.recent.some((r) => r.path === '/api/v1/edge/deposit' && r.status === 201)).toBe(true);
    expect(status.state.stats.total).toBeGreaterThan(3);
  });
});

describe('setupServer in remote mode', () => {
  it('imports rvm-credentials.json and talks to the configured server', async () => {
    const sim = await startSim({ assignment: 'none', realtime: false });
    const ctx = context({ server: { mode: 'remote', url: `${sim.url}/api/v1`, credentialsFile: 'creds.json' } });
    writeFileSync(path.join(ctx.config.dataDir, 'creds.json'), JSON.stringify(sim.credentials));
    await start(ctx);
    await eventually(() => Boolean(ctx.core.current('server.state')?.link === 'not_commissioned'), { what: 'ctx.core.current(\'server.state\')?.link === \'not_commissioned\'' });
    // Informational only: not commissioned is no reason to stop taking items.
    expect(ctx.status.state).toBe('ready');
    expect(ctx.core.current('server.state')).toMatchObject({ realtime: 'polling', realtimeDetail: 'no realtime server configured', machineUuid: sim.machineUuid });
    await expect(ctx.core.call('server.simulatePhoneLogin', {})).rejects.toThrow(/demo mode/);
  });

  it('keeps the kiosk running without a server URL or credentials, and says why', async () => {
    const ctx = context({ server: { mode: 'remote' } });
    const parts = await start(ctx);
    const session = parts.session;
    expect(ctx.core.current('server.state')).toMatchObject({ link: 'unconfigured', lastError: expect.stringMatching(/no server URL/) });
    // The outbox keeps its credits (retryable, never dropped) and the PIN check says why it cannot run.
    expect(await parts.sender.sendDeposit({ id: 'x', sessionId: 's', material: 'can', points: 1, weightGrams: null, confidence: 1, at: new Date().toISOString() })).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/no server URL/) });
    expect(await parts.verifyPin('123456')).toMatchObject({ kind: 'unavailable' });
    expect((await session.startGuest()).sessionId).toMatch(/^guest_local_/);
    await expect(session.qrToken()).rejects.toThrow(/QR login unavailable/);
    expect(await ctx.core.call('server.testConnection', {})).toMatchObject({ ok: false, link: 'unconfigured' });

    const missing = context({ server: { mode: 'remote', url: 'http://127.0.0.1:9', credentialsFile: 'nope.json' } });
    await start(missing);
    expect(missing.core.current('server.state')?.lastError).toMatch(/nope\.json not found/);
  });
});
