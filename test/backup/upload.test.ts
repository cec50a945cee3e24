/**
 * The designed backup upload against the simulator: with the designs on, the archive arrives whole (sha256
 * checked by the server's side); with today's server (designed off), the first try switches the feature
 * off and no later backup asks again — one 404, no loop, and the backup itself still succeeds.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupService } from '../../src/backup/backup-service.js';
import { BackupEndpoints } from '../../src/server/endpoints/designed-backup.js';
import { simBackups } from '../../src/server/simulator/routes/designed-backup-routes.js';
import { cleanupServerSims, makeClient, startSim } from '../helpers/server-sim.js';

const dirs: string[] = [];
afterEach(async () => {
  await cleanupServerSims();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serviceAgainst(designed: boolean) {
  const sim = await startSim({ designed, realtime: false });
  const { client } = makeClient(sim, { retry: { attempts: 1 } });
  const endpoints = new BackupEndpoints(client, () => sim.machineId);
  const data = mkdtempSync(path.join(os.tmpdir(), 'rvm-up-'));
  dirs.push(data);
  mkdirSync(path.join(data, 'outbox'));
  writeFileSync(path.join(data, 'outbox', 'status.jnl'), 'acks\n');
  const service = new BackupService({
    dataDir: data, dir: path.join(data, 'backups'), keep: 3, version: '1', machine: () => ({ serialNumber: sim.credentials.serial_number, name: 'x' }), settings: () => ({}),
    uploader: { availability: () => endpoints.availability(), upload: (b) => endpoints.upload({ ...b, createdAt: b.manifest.createdAt }) },
  });
  return { sim, service };
}

const backupHits = (sim: Awaited<ReturnType<typeof startSim>>) => [...sim.state.hits].filter(([p]) => p.includes('/backup/')).reduce((n, [, c]) => n + c, 0);

describe('backup upload through the designed endpoints', () => {
  it('uploads the archive where the server offers them', async () => {
    const { sim, service } = await serviceAgainst(true);
    const made = await service.create();
    expect(made.upload).toBe('uploaded');
    const stored = simBackups(sim.state);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'completed', sha256: made.sha256 });
    expect(createHash('sha256').update(stored[0]!.bytes!).digest('hex')).toBe(createHash('sha256').update(readFileSync(made.file)).digest('hex'));
    expect(service.state()).toMatchObject({ phase: 'done', percent: 100, lastUpload: 'uploaded', server: 'available', lastError: null });
  });

  it("on today's server: switched off after one 404, never asked again, backups still made", async () => {
    const { sim, service } = await serviceAgainst(false);
    const first = await service.create();
    expect(first.upload).toBe('unsupported');
    expect(backupHits(sim)).toBe(1);
    const second = await service.create();
    expect(second.upload).toBe('unsupported');
    expect(backupHits(sim)).toBe(1);
    expect(service.state()).toMatchObject({ phase: 'done', server: 'absent', lastError: null });
    expect((await service.list()).length).toBe(2);
  });
});
