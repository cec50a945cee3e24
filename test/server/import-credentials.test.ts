import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCredentialsFile } from '../../src/server/credentials.js';
import { importCredentials } from '../../src/server/import-credentials.js';

const KEY = 'k'.repeat(40) + 'Z9'.repeat(12);
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
function setup(content: string): { source: string; dataDir: string } {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rvm-cred-'));
  const source = path.join(dir, 'usb.json');
  writeFileSync(source, content);
  return { source, dataDir: path.join(dir, 'data') };
}

describe('importing rvm-credentials.json', () => {
  it('stores a valid file in the data directory, owner-only, with unknown fields dropped', async () => {
    const { source, dataDir } = setup(JSON.stringify({ serial_number: 'RVM-202611-001', api_key: KEY, name: 'RVM Pasar', generated_at: '2026-11-01', note: 'x' }));
    const { file, credentials } = await importCredentials(source, dataDir);
    expect(file).toBe(path.join(dataDir, 'rvm-credentials.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ serial_number: 'RVM-202611-001', api_key: KEY, name: 'RVM Pasar', generated_at: '2026-11-01' });
    expect(loadCredentialsFile(file).edgeAuthHeader()).toEqual({ 'X-RVM-API-KEY': KEY });
    expect(JSON.stringify(credentials)).not.toContain(KEY);
  });

  it('refuses a file that is not valid credentials, naming the problem but never the key', async () => {
    const { source, dataDir } = setup(JSON.stringify({ serial_number: 'RVM-1', api_key: 'short', name: 'x' }));
    await expect(importCredentials(source, dataDir)).rejects.toThrow(/api_key/);
    const broken = setup(`{"api_key": "${KEY}",`);
    await expect(importCredentials(broken.source, broken.dataDir)).rejects.toThrow(/not valid JSON/);
    await expect(importCredentials(broken.source, broken.dataDir)).rejects.not.toThrow(KEY);
  });

  it('works as the installer command, printing the serial number and never the key', async () => {
    const { source, dataDir } = setup(JSON.stringify({ serial_number: 'RVM-202611-002', api_key: KEY, name: 'RVM Stasiun' }));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main/import-credentials.ts', source], { env: { ...process.env, RVM__dataDir: dataDir } });
    expect(stdout).toContain('RVM-202611-002');
    expect(stdout).not.toContain(KEY);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'rvm-credentials.json'), 'utf8')).api_key).toBe(KEY);
  });
});
