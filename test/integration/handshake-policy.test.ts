/**
 * The whole kiosk (createKiosk) against a remote server (the simulator): the handshake's policy reaches the
 * hardware, so a bin is reported full at the server's threshold rather than the configured one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { KioskContext } from '../../src/app/context.js';
import { kioskConfig } from '../../src/config/schema.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';

describe('handshake policy', () => {
  let sim: ServerSimulator;
  let kiosk: KioskContext;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startServerSimulator({ realtime: false, binFullThresholdPercent: 75 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-policy-'));
    kiosk = await createKiosk(
      kioskConfig.parse({
        dataDir,
        hardware: { mode: 'simulator', binFullPercent: 95, simulator: { timings: 'instant' } },
        server: { mode: 'remote', url: sim.url, credentials: sim.credentials, handshakeFirstDelayMs: 50 },
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
});
