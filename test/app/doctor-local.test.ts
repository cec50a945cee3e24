/**
 * The doctor's checks that need no running core (src/app/doctor/run-local-checks.ts), as the cannot-start screen
 * runs them: an invalid configuration stops the rest; otherwise the data folder, credentials, the serial port
 * (present and permitted, never opened) and free disk, each with its fix; nothing throws.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runLocalChecks } from '../../src/app/doctor/run-local-checks.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'rvm-doctor-local-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const source = (env: Record<string, string>) => ({ argv: [], cwd: root, env: { RVM__dataDir: path.join(root, 'data'), ...env } });
const byId = (rows: Awaited<ReturnType<typeof runLocalChecks>>) => Object.fromEntries(rows.map((r) => [r.id, r]));

it('names a misspelt key and checks nothing else', async () => {
  const rows = await runLocalChecks({ configSource: source({ RVM__hardwre__mode: 'serial' }) });
  expect(rows[0]).toMatchObject({ id: 'config', status: 'fail' });
  expect(rows[0]!.detail).toContain('hardwre');
  expect(rows.slice(1).map((r) => r.status)).toEqual(['skip', 'skip', 'skip', 'skip']);
});

it('passes on the demo setup', async () => {
  const rows = byId(await runLocalChecks({ configSource: source({}) }));
  expect(rows.config!.status).toBe('ok');
  expect(rows['data-dir']).toMatchObject({ status: 'ok' });
  expect(rows.credentials).toMatchObject({ status: 'ok' });
  expect(rows['serial-port']).toMatchObject({ status: 'ok', detail: 'simulated controller: no serial port needed' });
  expect(['ok', 'warn']).toContain(rows.disk!.status);
});

it('fails a real machine without credentials or its port, naming each fix, without opening anything', async () => {
  const device = path.join(root, 'ttyUSB0');
  writeFileSync(device, '');
  const rows = byId(
    await runLocalChecks({
      configSource: source({ RVM__server__mode: 'remote', RVM__server__url: 'https://rvm.example', RVM__hardware__mode: 'serial', RVM__hardware__serial__path: device }),
      canOpen: async () => false,
    }),
  );
  expect(rows.credentials).toMatchObject({ status: 'fail', fix: expect.stringContaining('rvm-kiosk import-credentials') });
  expect(rows['serial-port']).toMatchObject({ status: 'fail', fix: expect.stringContaining('sudo usermod -aG dialout') });
});

it('fails a data folder the user cannot write, with the chown to run', async () => {
  if (process.getuid?.() === 0) return; // root writes anywhere: the permission cannot be refused here
  const locked = path.join(root, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o500);
  const rows = byId(await runLocalChecks({ configSource: { argv: [], cwd: root, env: { RVM__dataDir: path.join(locked, 'data') } } }));
  expect(rows['data-dir']).toMatchObject({ status: 'fail', fix: expect.stringContaining('sudo chown -R') });
});

it('reports a data folder that is a file as a configuration error naming it, without throwing', async () => {
  const file = path.join(root, 'not-a-folder');
  writeFileSync(file, '');
  const rows = await runLocalChecks({ configSource: { argv: [], cwd: root, env: { RVM__dataDir: file } } });
  expect(rows[0]).toMatchObject({ id: 'config', status: 'fail', detail: `cannot start: dataDir "${file}" (from RVM__dataDir) is not a folder` });
});
