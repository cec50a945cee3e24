/**
 * The issue's restore test: deposits recorded against the simulator, some delivered and some held back by a
 * server outage; a backup taken; the data folder wiped; the backup restored onto a fresh data folder with
 * the same credentials (`rvm-kiosk restore`'s code path) → every undelivered credit reaches the server
 * exactly once and no delivered one is sent again, counted at the simulator by client id. Real parts
 * throughout: outbox on disk, server link over loopback HTTP, the production wiring.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreCommand } from '../../main/cli/backup-restore.js';
import { buildServerLink } from '../../src/app/build-server-link.js';
import { kioskConfig, type KioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { setupBackup } from '../../src/app/setup-backup.js';
import { setupClock } from '../../src/app/setup-clock.js';
import { setupOutbox } from '../../src/app/setup-outbox.js';
import { setupServer } from '../../src/app/setup-server.js';
import { wireServerLink } from '../../src/app/wire-server-link.js';
import type { BackupService } from '../../src/backup/backup-service.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { eventually } from '../helpers/eventually.js';
import { testContext } from '../helpers/context.js';
import { fakeJpeg } from '../helpers/server-sim.js';

interface Kiosk {
  ctx: KioskContext;
  outbox: Outbox;
  backup: BackupService;
}

async function startKiosk(config: KioskConfig): Promise<Kiosk> {
  const ctx = testContext(config, { demoMode: false, machineName: 'Restore test' });
  const clock = setupClock(ctx);
  const server = await buildServerLink(ctx);
  const outbox = await setupOutbox(ctx);
  wireServerLink(ctx, server, { clock, outbox });
  setupServer(ctx, server);
  const backup = await setupBackup(ctx, { link: server.link });
  return { ctx, outbox, backup };
}

const online = (k: Kiosk) => eventually(() => k.ctx.core.current('server.state')?.link === 'online', { what: 'the server link to come online', timeoutMs: 20_000, intervalMs: 50 });

describe('restore onto a fresh data folder', () => {
  let sim: ServerSimulator;
  const folders: string[] = [];
  const running: Kiosk[] = [];
  const tmp = (prefix: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const k of running) await k.ctx.core.dispose();
    await sim?.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every undelivered credit exactly once and no delivered one again', async () => {
    sim = await startServerSimulator({ realtime: false });
    const usb = tmp('rvm-usb-'); // the backup goes where a wiped SD card cannot take it
    const configFor = (dataDir: string) =>
      kioskConfig.parse({
        dataDir,
        hardware: { mode: 'simulator' },
        server: { mode: 'remote', url: sim.url, credentials: sim.credentials, handshakeFirstDelayMs: 50, handshakeCapMs: 1_000 },
        outbox: { backoff: { firstMs: 100, factor: 2, maxMs: 500 }, flushDelayMs: 0 },
        backup: { enabled: false, dir: usb },
      });
    const first = await startKiosk(configFor(tmp('rvm-restore-a-')));
    running.push(first);
    await online(first);
    const record = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        await first.outbox.record({ id, sessionId: 'guest-1', material: 'pet', points: 10, weightGrams: 21, confidence: 0.9, at: new Date().toISOString(), ...(i % 2 === 0 ? { image: fakeJpeg() } : {}) });
        ids.push(id);
      }
      return ids;
    };

    const delivered = await record(6);
    await eventually(() => first.outbox.state().pending === 0 && sim.state.receivedClientIds().length === 6, { what: 'the first six credits delivered', timeoutMs: 15_000 });

    sim.outage(10 * 60_000); // the server goes away: the next credits stay owed
    const owed = await record(7);
    expect(first.outbox.state()).toMatchObject({ pending: 7, pushed: 6 });

    const made = await first.backup.create();
    expect(made.manifest.files.some((f) => f.path.startsWith('data/outbox/'))).toBe(true);
    await first.ctx.core.dispose();
    running.splice(running.indexOf(first), 1);
    rmSync(first.ctx.config.dataDir, { recursive: true, force: true }); // the SD card dies
    expect(existsSync(first.ctx.config.dataDir)).toBe(false);
    sim.outage(0);

    const fresh = configFor(path.join(tmp('rvm-restore-b-'), 'data'));
    const outcome = await restoreCommand(made.file, fresh, { force: false, cwd: process.cwd() });
    expect(outcome.code, outcome.lines.join('\n')).toBe(0);
    expect(readdirSync(fresh.dataDir)).toContain('outbox');

    const second = await startKiosk(fresh);
    running.push(second);
    expect(second.outbox.state()).toMatchObject({ pending: 7, pushed: 6, damagedLines: 0 });
    await eventually(() => second.outbox.state().pending === 0 && sim.state.receivedClientIds().length >= 13, { what: 'the owed credits delivered after the restore', timeoutMs: 20_000 });
    // A moment for any stray resend to land (a flush pass already under way), then count by client id.
    await second.outbox.push();
    const received = sim.state.receivedClientIds();
    const times = (id: string) => received.filter((r) => r === id).length;
    for (const id of owed) expect(times(id), `owed credit ${id}`).toBe(1);
    for (const id of delivered) expect(times(id), `delivered credit ${id}`).toBe(1);
    expect(received).toHaveLength(13);
    expect(second.outbox.state()).toMatchObject({ pending: 0, failed: 0, pushed: 13 });
  }, 90_000);
});
