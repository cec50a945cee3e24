/** `rvm-kiosk export-logs DIR`: the log files that exist, copied into a new folder; "nothing to export" said plainly. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportLogs } from '../../../main/cli/export-logs.js';
import { OperatorLog } from '../../../src/log/operator-log.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('export-logs', () => {
  it('copies electron-log’s files and the data folder’s logs, never credentials, and lists them', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rvm-export-'));
    const logs = path.join(dir, 'userData', 'logs');
    const data = path.join(dir, 'data');
    mkdirSync(logs, { recursive: true });
    mkdirSync(path.join(data, 'logs'), { recursive: true });
    writeFileSync(path.join(logs, 'main.log'), 'line 1\n');
    writeFileSync(path.join(logs, 'main.old.log'), 'line 0\n');
    writeFileSync(path.join(data, 'logs', 'operator.jsonl'), '{"event":"item"}\n');
    writeFileSync(path.join(data, 'rvm-credentials.json'), '{"api_key":"secret"}');
    const out = await exportLogs({ dir: path.join(dir, 'usb'), logDirs: [logs, data, path.join(data, 'logs')], journal: () => 'journal line\n', summary: 'rvm-kiosk 0.1.0; demo mode' });
    expect(out.code).toBe(0);
    expect(out.folder).toMatch(/usb\/rvm-kiosk-logs-.+/);
    expect(readdirSync(out.folder!).sort()).toEqual(['export.txt', 'journal.txt', 'main.log', 'main.old.log', 'operator.jsonl']);
    expect(readFileSync(path.join(out.folder!, 'main.log'), 'utf8')).toBe('line 1\n');
    expect(readFileSync(path.join(out.folder!, 'export.txt'), 'utf8')).toContain('demo mode');
    expect(out.lines[0]).toMatch(/^Exported 4 file\(s\) to /);
  });

  it('copies the operator log with its rotated files, as the kiosk writes them', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rvm-export-'));
    const logs = path.join(dir, 'data', 'logs');
    const oplog = new OperatorLog({ dir: logs, maxBytes: 120, files: 3 });
    for (let n = 0; n < 10; n += 1) oplog.write({ event: 'item', itemId: `i${n}` });
    await oplog.close();
    const out = await exportLogs({ dir: path.join(dir, 'usb'), logDirs: [path.join(dir, 'data'), logs], journal: () => null });
    expect(readdirSync(out.folder!).filter((f) => f.startsWith('operator')).sort()).toEqual(['operator.jsonl', 'operator.jsonl.1', 'operator.jsonl.2']);
    expect(readFileSync(path.join(out.folder!, 'operator.jsonl'), 'utf8')).toContain('"itemId":"i9"');
  });

  it('says so when there is nothing to export, and creates nothing', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rvm-export-'));
    const out = await exportLogs({ dir: path.join(dir, 'usb'), logDirs: [path.join(dir, 'nowhere')], journal: () => null });
    expect(out).toMatchObject({ code: 1, folder: null });
    expect(out.lines[0]).toMatch(/^No log files to export: none in .*nowhere, and no systemd journal for rvm-kiosk\.$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
