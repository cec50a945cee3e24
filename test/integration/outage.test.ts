/**
 * The acceptance run: 200 deposits while the MyRVM server (simulator) is out for 60 seconds. Every
 * credit must be durable when record() resolves, and every one must reach the server after it comes back,
 * none twice by client id. Real parts throughout: the outbox on disk, the server link over loopback HTTP,
 * and the production wiring between them (wireServerLink). Runs about 70 s of wall time by design.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskContext } from '../../src/app/context.js';
import { setupClock } from '../../src/app/setup-clock.js';
import { setupOutbox } from '../../src/app/setup-outbox.js';
import { setupServer } from '../../src/app/setup-server.js';
import { wireServerLink } from '../../src/app/wire-server-link.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { eventually } from '../helpers/eventually.js';
import { buildServerLink } from '../../src/app/build-server-link.js';
import { testContext } from '../helpers/context.js';

const OUTAGE_MS = 60_000;
const DEPOSITS = 200;

describe('200 deposits during a 60-second server outage', () => {
  let sim: ServerSimulator;
  let ctx: KioskContext;
  let outbox: Outbox;
  let dataDir: string;
  let photo: Buffer;

  beforeAll(async () => {
    sim = await startServerSimulator({ realtime: false });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-outage-'));
    const config = kioskConfig.parse({
      dataDir,
      hardware: { mode: 'simulator' },
      server: { mode: 'remote', url: sim.url, credentials: sim.credentials, handshakeFirstDelayMs: 50, handshakeCapMs: 2_000 },
      // Short backoff cap so recovery is noticed within seconds of the outage ending.
      outbox: { backoff: { firstMs: 200, factor: 2, maxMs: 3_000 }, flushDelayMs: 0 },
    });
    ctx = testContext(config, { demoMode: false, machineName: 'Outage test' });
    const clock = setupClock(ctx);
    const server = await buildServerLink(ctx);
    outbox = await setupOutbox(ctx);
    wireServerLink(ctx, server, { clock, outbox });
    setupServer(ctx, server);
    photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
  }, 30_000);

  afterAll(async () => {
    await ctx?.core.dispose();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every credit through the outage and delivers each exactly once after it', async () => {
    await eventually(() => ctx.core.current('server.state')?.link === 'online', { what: 'the server link to come online', timeoutMs: 20_000, intervalMs: 100 });
    sim.outage(OUTAGE_MS);
    const outageEnds = Date.now() + OUTAGE_MS;
    const recorded: string[] = [];
    for (let i = 0; i < DEPOSITS; i++) {
      const id = randomUUID();
      await outbox.record({
        id,
        sessionId: `session-${Math.floor(i / 10)}`,
        material: i % 3 === 0 ? 'can' : 'pet',
        points: i % 3 === 0 ? 12 : 10,
        weightGrams: 20 + (i % 7),
        confidence: 0.9,
        at: new Date().toISOString(),
        ...(i % 2 === 0 ? { image: photo } : {}),
      });
      recorded.push(id);
      // Pacing, not waiting: a busy machine, items keep coming during the first 20 s of the outage.
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now()).toBeLessThan(outageEnds);
    expect(sim.state.receivedClientIds()).toEqual([]);
    expect((await ctx.core.call('outbox.status', {})).pending).toBe(DEPOSITS);

    await eventually(() => sim.state.receivedClientIds().length >= DEPOSITS && ctx.core.current('outbox.state')?.pending === 0, {
      what: `all ${DEPOSITS} credits delivered after the outage`,
      timeoutMs: OUTAGE_MS + 60_000,
      intervalMs: 100,
    });
    const received = sim.state.receivedClientIds();
    expect(new Set(received).size).toBe(received.length); // none twice
    expect([...received].sort()).toEqual([...recorded].sort()); // every one, nothing else
    // In order: credits with a photo go to /edge/deposit, the others to /edge/sync-offline; each in recorded order.
    expect(sim.state.deposits.map((d) => d.clientId)).toEqual(recorded.filter((_, i) => i % 2 === 0));
    expect(sim.state.offlineItems.map((d) => d.clientId)).toEqual(recorded.filter((_, i) => i % 2 === 1));
    expect(await ctx.core.call('outbox.status', {})).toMatchObject({ pending: 0, failed: 0, pushed: DEPOSITS });
  }, OUTAGE_MS + 120_000);
});
