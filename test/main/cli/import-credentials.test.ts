/**
 * `rvm-kiosk import-credentials FILE`: validated, stored 0600, never printing the key — and never silently
 * replacing another machine's credentials: a different serial number needs --force.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../../src/app/config-schema.js';
import { importCredentialsCommand } from '../../../main/cli/import-credentials.js';

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  dir = mkdtempSync(path.join(tmpdir(), 'rvm-import-'));
  const config = kioskConfig.parse({ dataDir: path.join(dir, 'data') });
  const file = (name: string, body: object) => {
    const p = path.join(dir, name);
    writeFileSync(p, JSON.stringify(body));
    return p;
  };
  const stored = () => JSON.parse(readFileSync(path.join(dir, 'data', 'rvm-credentials.json'), 'utf8')) as { serial_number: string; api_key: string };
  return { config, file, stored, opts: { force: false, cwd: dir } };
}

describe('import-credentials', () => {
  it('imports a valid file (0600) and names the machine, never the key', async () => {
    const { config, file, stored, opts } = setup();
    const out = await importCredentialsCommand(file('a.json', { serial_number: 'RVM-A', api_key: KEY_A, name: 'Pasar Baru' }), config, opts);
    expect(out.code).toBe(0);
    expect(out.lines.join('\n')).toContain('Imported credentials for RVM-A (Pasar Baru)');
    expect(out.lines.join('\n')).not.toContain(KEY_A);
    expect(stored().api_key).toBe(KEY_A);
    expect(statSync(path.join(dir, 'data', 'rvm-credentials.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not valid credentials, naming the field', async () => {
    const { config, file, opts } = setup();
    const out = await importCredentialsCommand(file('bad.json', { serial_number: 'RVM-A', api_key: 'short', name: 'x' }), config, opts);
    expect(out).toMatchObject({ code: 1 });
    expect(out.lines.join('\n')).toMatch(/Not imported: .*api_key/);
  });

  it('refuses to replace another machine’s credentials without --force, and says why', async () => {
    const { config, file, stored, opts } = setup();
    await importCredentialsCommand(file('a.json', { serial_number: 'RVM-A', api_key: KEY_A, name: 'Pasar Baru' }), config, opts);
    const b = file('b.json', { serial_number: 'RVM-B', api_key: KEY_B, name: 'Stasiun' });
    const refused = await importCredentialsCommand(b, config, opts);
    expect(refused.code).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/already has the credentials of machine RVM-A[\s\S]*different machine, RVM-B[\s\S]*--force/);
    expect(stored().serial_number).toBe('RVM-A');

    const forced = await importCredentialsCommand(b, config, { ...opts, force: true });
    expect(forced.code).toBe(0);
    expect(forced.lines.join('\n')).toContain('Replacing the credentials of machine RVM-A');
    expect(stored()).toMatchObject({ serial_number: 'RVM-B', api_key: KEY_B });
  });

  it('updates the same machine’s key without --force', async () => {
    const { config, file, stored, opts } = setup();
    await importCredentialsCommand(file('a.json', { serial_number: 'RVM-A', api_key: KEY_A, name: 'Pasar Baru' }), config, opts);
    const out = await importCredentialsCommand(file('a2.json', { serial_number: 'RVM-A', api_key: KEY_B, name: 'Pasar Baru' }), config, opts);
    expect(out.code).toBe(0);
    expect(out.lines[0]).toBe('Updating the credentials of this machine, RVM-A.');
    expect(stored().api_key).toBe(KEY_B);
  });

  it('says when another credentials file would still win', async () => {
    const { config, file, opts } = setup();
    file('rvm-credentials.json', { serial_number: 'RVM-OLD', api_key: KEY_A, name: 'old' }); // in the working directory
    const out = await importCredentialsCommand(file('b.json', { serial_number: 'RVM-B', api_key: KEY_B, name: 'Stasiun' }), config, opts);
    expect(out.lines.join('\n')).toContain(`the kiosk loads ${path.join(dir, 'rvm-credentials.json')} first`);
  });
});
