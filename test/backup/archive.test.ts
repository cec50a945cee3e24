/** Backup archives: what goes in, what never does, and the restore's refusals (damage, another machine). */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create, extract } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/backup/archive.js';
import { createBackup } from '../../src/backup/create-backup.js';
import { restoreArchive } from '../../src/backup/restore.js';

const dirs: string[] = [];
const tmp = (p = 'rvm-bk-') => {
  const d = mkdtempSync(path.join(os.tmpdir(), p));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function seedDataDir(): string {
  const data = tmp();
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(data, rel)), { recursive: true });
    writeFileSync(path.join(data, rel), text);
  };
  put('outbox/seg-00000001.jnl', 'credit lines\n');
  put('outbox/status.jnl', 'acks\n');
  put('outbox/reserve.bin', 'x'.repeat(1000));
  put('outbox/quarantine/torn/a.torn', 'torn\n');
  put('custody/custody.jnl', 'custody\n');
  put('monitoring/raw-1.jnl', 'readings\n');
  put('maintenance/audit.jsonl', '{"action":"tare"}\n');
  put('maintenance/pin-lockout.json', '{}');
  put('maintenance/pin-lockout.key', 'secret');
  put('maintenance/offline-pin.json', '{"hash":"x"}');
  put('claims/donated.jsonl', '{}\n');
  put('rvm-credentials.json', '{"api_key":"k"}');
  put('models/active.json', '{}');
  return data;
}

const machine = { serialNumber: 'RVM-1', name: 'Test' };
const settings = { machineName: 'Test', server: { url: 'http://x', credentials: { serial_number: 'RVM-1', api_key: 'SECRETKEY1234567890' } }, monitoring: { webhook: { url: 'http://h', token: 'tok' } } };

describe('backup archive', () => {
  it('holds the durable state with sha256 per file, and never credentials, keys or the PIN lockout', async () => {
    const data = seedDataDir();
    const made = await createBackup({ dataDir: data, dir: tmp(), version: '9.9.9', machine, settings });
    const paths = made.manifest.files.map((f) => f.path).sort();
    expect(paths).toEqual(
      ['data/claims/donated.jsonl', 'data/custody/custody.jnl', 'data/maintenance/audit.jsonl', 'data/monitoring/raw-1.jnl', 'data/outbox/quarantine/torn/a.torn', 'data/outbox/seg-00000001.jnl', 'data/outbox/status.jnl', 'settings/config.json'].sort(),
    );
    expect(made.manifest).toMatchObject({ format: 1, version: '9.9.9', machine });
    const opened = await openArchive(made.file);
    const saved = readFileSync(path.join(opened.root, 'settings/config.json'), 'utf8');
    await opened.dispose();
    expect(saved).not.toMatch(/SECRETKEY|tok"|credentials/);
    expect(JSON.parse(saved)).toMatchObject({ machineName: 'Test', server: { url: 'http://x' }, monitoring: { webhook: { url: 'http://h' } } });
  });

  it('refuses an archive whose file does not match its sha256, and a truncated one, changing nothing', async () => {
    const made = await createBackup({ dataDir: seedDataDir(), dir: tmp(), version: '1', machine, settings: {} });
    const work = tmp();
    await extract({ file: made.file, cwd: work });
    writeFileSync(path.join(work, 'data/outbox/status.jnl'), 'acks tampered\n');
    const tampered = path.join(tmp(), 'tampered.tar.gz');
    await create({ gzip: true, file: tampered, cwd: work }, readdirSync(work));
    const target = tmp();
    await expect(restoreArchive(tampered, target, { serialNumber: 'RVM-1' })).rejects.toMatchObject({ code: 'backup_damaged', message: expect.stringContaining('data/outbox/status.jnl does not match its sha256') });
    const truncated = path.join(tmp(), 'cut.tar.gz');
    writeFileSync(truncated, readFileSync(made.file).subarray(0, 200));
    await expect(restoreArchive(truncated, target, { serialNumber: 'RVM-1' })).rejects.toMatchObject({ code: 'backup_damaged' });
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses another machine unless forced, and moves what the folder held aside', async () => {
    const made = await createBackup({ dataDir: seedDataDir(), dir: tmp(), version: '1', machine, settings: {} });
    const target = tmp();
    mkdirSync(path.join(target, 'outbox'));
    writeFileSync(path.join(target, 'outbox/status.jnl'), 'newer machine state\n');
    await expect(restoreArchive(made.file, target, { serialNumber: 'RVM-2' })).rejects.toMatchObject({ code: 'backup_other_machine' });
    await expect(restoreArchive(made.file, target, { serialNumber: null })).rejects.toMatchObject({ code: 'backup_machine_unknown' });
    expect(readFileSync(path.join(target, 'outbox/status.jnl'), 'utf8')).toBe('newer machine state\n');
    const result = await restoreArchive(made.file, target, { serialNumber: 'RVM-2', force: true });
    expect(result.forced).toBe(true);
    expect(readFileSync(path.join(target, 'outbox/status.jnl'), 'utf8')).toBe('acks\n');
    expect(readFileSync(path.join(result.movedAside!, 'outbox/status.jnl'), 'utf8')).toBe('newer machine state\n');
    expect(existsSync(path.join(target, 'rvm-credentials.json'))).toBe(false);
    expect(existsSync(path.join(target, 'restored-settings.json'))).toBe(true);
  });
});
