/**
 * A blank machine: no configuration at all, so the kiosk's own default (demo mode) is not a choice anyone
 * made — with no credentials it shows setup. The installer names the server with the file from the drive;
 * that URL becomes an operator setting that turns the next start into a real machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../../src/app/config-schema.js';
import { createKiosk } from '../../../src/app/create-kiosk.js';
import { demoModeChosen } from '../../../src/app/first-run/first-run-state.js';
import { loadConfig } from '../../../src/app/load-config.js';
import { cleanupServerSims, startSim } from '../../helpers/server-sim.js';

const dirs: string[] = [];
afterEach(async () => {
  await cleanupServerSims();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('demoModeChosen', () => {
  it('is false for the defaults and true when the file, environment or installer set server.mode', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'rvm-blank-'));
    dirs.push(cwd);
    expect(demoModeChosen(loadConfig({ env: {}, argv: [], cwd }).sources)).toBe(false);
    expect(demoModeChosen(loadConfig({ env: { RVM__server__mode: 'simulator' }, argv: [], cwd }).sources)).toBe(true);
    const file = path.join(cwd, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { mode: 'simulator' } }));
    expect(demoModeChosen(loadConfig({ env: {}, argv: [], cwd, file }).sources)).toBe(true);
  });
});

describe('a blank machine', () => {
  it('needs setup, and the URL given with the drive file makes the next start remote', async () => {
    const sim = await startSim({ realtime: false });
    const root = mkdtempSync(path.join(os.tmpdir(), 'rvm-blank-'));
    dirs.push(root);
    const usbDir = path.join(root, 'STICK');
    mkdirSync(usbDir);
    const file = path.join(usbDir, 'rvm-credentials.json');
    writeFileSync(file, JSON.stringify(sim.credentials));
    const dataDir = path.join(root, 'data');
    const kiosk = await createKiosk(kioskConfig.parse({ dataDir, usbExport: { extraDirs: [usbDir] } }), { demoChosen: false });
    try {
      expect(kiosk.core.current('setup.state')).toMatchObject({ needed: true, step: 'credentials' });
      expect(kiosk.status.has('setup_needed')).toBe(true);
      expect(await kiosk.core.call('setup.importCredentials', { file, fileServerUrl: 'ftp://nope' })).toMatchObject({ ok: false, error: 'invalid' });
      expect(await kiosk.core.call('setup.importCredentials', { file })).toMatchObject({ ok: true });
      // The file carries no URL and the configuration has none: nothing to reach yet.
      expect(await kiosk.core.call('setup.testConnection', {})).toEqual({ result: 'unreachable' });
      expect(await kiosk.core.call('setup.importCredentials', { file, fileServerUrl: sim.url })).toMatchObject({ ok: true });
      expect(await kiosk.core.call('setup.testConnection', {})).toEqual({ result: 'ok' });
    } finally {
      await kiosk.core.dispose();
    }
    const next = loadConfig({ env: { RVM__dataDir: dataDir }, argv: [], cwd: root });
    expect(next.config.server).toMatchObject({ mode: 'remote', url: sim.url });
    expect(demoModeChosen(next.sources)).toBe(true);
  });
});
