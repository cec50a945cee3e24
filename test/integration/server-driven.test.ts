/**
 * The whole kiosk (createKiosk) against a remote server (the simulator, with realtime): what the server
 * decides reaches the machine — the handshake's bin-full threshold, and an operator's hardware command sent
 * over the realtime channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { KioskContext } from '../../src/app/context.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';

describe('handshake policy', () => {
  let sim: ServerSimulator;
  let kiosk: KioskContext;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startServerSimulator({ binFullThresholdPercent: 75 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-policy-'));
    kiosk = await createKiosk(
      kioskConfig.parse({
        dataDir,
        hardware: { mode: 'simulator', binFullPercent: 95, simulator: { timings: 'instant' } },
        server: {
          mode: 'remote',
          url: sim.url,
          credentials: sim.credentials,
          handshakeFirstDelayMs: 50,
          realtime: { appKey: sim.pusherAppKey, host: '127.0.0.1', port: sim.port, scheme: 'ws' },
        },
      }),
    );
  }, 30_000);

  afterAll(async () => {
    await kiosk?.core.dispose();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("takes the server's bin-full threshold over the configured one", async () => {
    await expect.poll(() => kiosk.core.current('hardware.bins')?.thresholdPercent, { timeout: 15_000 }).toBe(75);
    expect(kiosk.core.current('server.state')?.link).toBe('online');
  });

  it('runs an operator\'s open_door sent over realtime on the machine', async () => {
    await expect.poll(() => kiosk.core.current('server.state')?.realtime, { timeout: 15_000 }).toBe('realtime');
    await kiosk.core.call('hardware.test', { action: 'door_lock' });
    expect((await kiosk.core.call('hardware.status', {})).door).toMatchObject({ locked: true });
    expect(sim.publish('hardware.command', { command: 'open_door', params: null, request_id: 'cmd_test1', timestamp: new Date().toISOString() })).toBe(1);
    await expect.poll(async () => (await kiosk.core.call('hardware.status', {})).door?.locked, { timeout: 10_000 }).toBe(false);
  });
});
