import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialsError, loadCredentialsFile, parseCredentials, resolveCredentialsPath } from '../../src/server/credentials.js';
import { generateApiKey } from '../../src/server/simulator/sim-identity.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'rvm-cred-'));
  dirs.push(d);
  return d;
}

describe('machine credentials', () => {
  it('imports rvm-credentials.json and keeps the key out of every printable form', () => {
    const key = generateApiKey();
    const dir = tempDir();
    const file = path.join(dir, 'rvm-credentials.json');
    writeFileSync(file, JSON.stringify({ serial_number: 'RVM-202601-006', api_key: key, name: 'RVM Kantin', generated_at: '2026-01-31T10:00:00+07:00' }));
    const creds = loadCredentialsFile(file);
    expect(creds.serialNumber).toBe('RVM-202601-006');
    expect(creds.edgeAuthHeader()).toEqual({ 'X-RVM-API-KEY': key });
    for (const printed of [JSON.stringify(creds), inspect(creds), String(creds), JSON.stringify({ nested: creds })]) {
      expect(printed).not.toContain(key);
    }
  });

  it('says which field is wrong without quoting the file', () => {
    const key = generateApiKey();
    expect(() => parseCredentials({ serial_number: 'X', api_key: key }, 'f.json')).toThrow(/name/);
    const dir = tempDir();
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, `{"serial_number":"S","api_key":"${key}",`);
    try {
      loadCredentialsFile(broken);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CredentialsError);
      expect((err as Error).message).toContain('not valid JSON');
      expect((err as Error).message).not.toContain(key);
    }
  });

  it('finds a relative file in the working directory, then in the data directory', () => {
    const cwd = tempDir();
    const data = tempDir();
    writeFileSync(path.join(data, 'rvm-credentials.json'), '{}');
    expect(resolveCredentialsPath('rvm-credentials.json', data, cwd)).toBe(path.join(data, 'rvm-credentials.json'));
    writeFileSync(path.join(cwd, 'rvm-credentials.json'), '{}');
    expect(resolveCredentialsPath('rvm-credentials.json', data, cwd)).toBe(path.join(cwd, 'rvm-credentials.json'));
    expect(resolveCredentialsPath('missing.json', data, cwd)).toBeNull();
  });
});
