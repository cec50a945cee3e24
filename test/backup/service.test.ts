/** The backup service's own rules: keep N, one operation at a time, the schedule, USB targets and copies. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackupService, type BackupStatus } from '../../src/backup/backup-service.js';
import { copyToUsb, listUsbTargets } from '../../src/backup/usb.js';
import { eventually } from '../helpers/eventually.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'rvm-svc-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function makeService(keep = 2, now?: () => Date) {
  const data = tmp();
  mkdirSync(path.join(data, 'claims'));
  writeFileSync(path.join(data, 'claims', 'donated.jsonl'), '{}\n');
  const states: BackupStatus[] = [];
  const service = new BackupService({ dataDir: data, dir: path.join(data, 'backups'), keep, version: '1', machine: () => ({ serialNumber: 'S1', name: 'n' }), settings: () => ({}), uploader: null, onState: (s) => states.push(s), ...(now ? { now } : {}) });
  return { data, service, states };
}

describe('BackupService', () => {
  it('keeps the newest N archives and reports progress up to done', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const { data, service, states } = makeService(2, () => new Date((t += 60_000)));
    for (let i = 0; i < 3; i++) await service.create();
    const names = readdirSync(path.join(data, 'backups')).sort();
    expect(names).toEqual(['rvm-backup-S1-2026-01-01T00-02-00-000Z.tar.gz', 'rvm-backup-S1-2026-01-01T00-03-00-000Z.tar.gz']);
    expect(states.map((s) => s.phase)).toEqual(expect.arrayContaining(['collecting', 'archiving', 'done']));
    expect(states.at(-1)).toMatchObject({ phase: 'done', percent: 100, lastBackupAt: '2026-01-01T00:03:00.000Z', lastUpload: 'off', server: 'off' });
  });

  it('refuses a second operation while one runs', async () => {
    const { service } = makeService();
    const first = service.create();
    await expect(service.create()).rejects.toMatchObject({ code: 'backup_busy' });
    await first;
  });

  it('runs on schedule: first soon after start, then every period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { service, data } = makeService(10);
    await service.init();
    service.startSchedule(3_600_000);
    const count = () => readdirSync(path.join(data, 'backups'), { withFileTypes: true }).filter((e) => e.name.endsWith('.tar.gz')).length;
    vi.advanceTimersByTime(59_000);
    expect(service.state().phase).toBe('idle');
    vi.advanceTimersByTime(1_000);
    await eventually(() => service.state().phase === 'done', { what: 'the first scheduled backup' });
    expect(count()).toBe(1);
    vi.advanceTimersByTime(3_599_000);
    expect(count()).toBe(1);
    await service.stop();
  });

  it('lists mounted drives under /media and /run/media only, and copies there as a whole file', async () => {
    const mounts = [
      '/dev/sda1 /media/teknisi/USB\\040STICK vfat rw 0 0',
      '/dev/sdb1 /run/media/pi/BACKUP ext4 rw 0 0',
      '/dev/mmcblk0p1 / ext4 rw 0 0',
      '/dev/sdc1 /mnt/other vfat rw 0 0',
    ].join('\n');
    const targets = await listUsbTargets({ mounts: async () => mounts });
    expect(targets.map((t) => [t.dir, t.label])).toEqual([
      ['/media/teknisi/USB STICK', 'USB STICK'],
      ['/run/media/pi/BACKUP', 'BACKUP'],
    ]);
    const root = tmp();
    const stick = path.join(root, 'stick');
    mkdirSync(stick);
    const file = path.join(tmp(), 'rvm-backup-S1-x.tar.gz');
    writeFileSync(file, 'archive');
    await expect(copyToUsb(file, '/tmp/../etc')).rejects.toMatchObject({ code: 'backup_usb_failed' });
    const written = await copyToUsb(file, stick, [root]);
    expect(readdirSync(stick)).toEqual([path.basename(written)]);
  });
});
