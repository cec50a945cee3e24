/**
 * The answers first-run setup gives in words: each connection result against the server simulator on loopback,
 * typed credentials (validated, never echoed), the installer PIN opening maintenance with no server at all, and a
 * machine that needs no setup refusing the commands.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../../src/app/config-schema.js';
import { createKiosk } from '../../../src/app/create-kiosk.js';
import { describeSources, loadConfig } from '../../../src/app/load-config.js';
import { cleanupServerSims, startSim } from '../../helpers/server-sim.js';
import { startUnprovisioned, type Unprovisioned } from './rig.js';

const running: Unprovisioned[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const k of running.splice(0)) await k.stop();
  await cleanupServerSims();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function unprovisioned(...args: Parameters<typeof startUnprovisioned>): Promise<Unprovisioned> {
  const k = await startUnprovisioned(...args);
  running.push(k);
  return k;
}

describe('setup.testConnection', () => {
  it('says not_commissioned when the server has no active assignment for the machine', async () => {
    const sim = await startSim({ realtime: false, assignment: 'none' });
    const { kiosk, usbDir } = await unprovisioned(sim);
    await kiosk.core.call('setup.importCredentials', { file: path.join(usbDir, 'rvm-credentials.json') });
    expect(await kiosk.core.call('setup.testConnection', {})).toEqual({ result: 'not_commissioned' });
    // Commissioning is the server admin's step, not the installer's: the screen moves on.
    expect(kiosk.core.current('setup.state')?.step).toBe('serial');
  });

  it('says refused for a key the server does not know', async () => {
    const sim = await startSim({ realtime: false });
    const { kiosk, usbDir } = await unprovisioned(sim);
    const wrong = { ...sim.credentials, api_key: 'x'.repeat(40) };
    writeFileSync(path.join(usbDir, 'rvm-credentials.json'), JSON.stringify(wrong));
    await kiosk.core.call('setup.importCredentials', { file: path.join(usbDir, 'rvm-credentials.json') });
    expect(await kiosk.core.call('setup.testConnection', {})).toEqual({ result: 'refused' });
    expect(kiosk.core.current('setup.state')).toMatchObject({ step: 'connection', connection: { result: 'refused' } });
  });

  it('says unreachable when nothing listens at the server URL', async () => {
    const sim = await startSim({ realtime: false });
    const { kiosk, usbDir } = await unprovisioned(sim, { server: { mode: 'remote', url: 'http://127.0.0.1:9', realtime: { enabled: false } } });
    await kiosk.core.call('setup.importCredentials', { file: path.join(usbDir, 'rvm-credentials.json') });
    expect(await kiosk.core.call('setup.testConnection', {})).toEqual({ result: 'unreachable' });
  });
});

describe('typed credentials', () => {
  it('writes them 0600 with the server URL as an operator setting that load-config reads', async () => {
    const sim = await startSim({ realtime: false });
    const { kiosk, dataDir } = await unprovisioned(sim, { server: { mode: 'remote', url: '', realtime: { enabled: false } } });
    expect(await kiosk.core.call('setup.importCredentials', { serverUrl: 'not a url', serialNumber: 'RVM-1', apiKey: 'k'.repeat(32) })).toMatchObject({ ok: false, error: 'invalid' });
    expect(await kiosk.core.call('setup.importCredentials', { serverUrl: sim.url, serialNumber: 'RVM-1', apiKey: 'short' })).toMatchObject({ ok: false, error: 'invalid' });
    const typed = { serverUrl: `${sim.url}/`, serialNumber: sim.credentials.serial_number, apiKey: sim.credentials.api_key };
    expect(await kiosk.core.call('setup.importCredentials', typed)).toEqual({ ok: true, serialNumber: sim.credentials.serial_number, error: null });
    expect(kiosk.core.current('setup.state')?.credentials.serverUrl).toBe(sim.url);
    expect(await kiosk.core.call('setup.testConnection', {})).toEqual({ result: 'ok' });

    const loaded = loadConfig({ env: { RVM__dataDir: dataDir }, cwd: dataDir });
    expect(loaded.config.server).toMatchObject({ mode: 'remote', url: sim.url });
    expect(loaded.sources.origins.get('server.url')).toBe(path.join(dataDir, 'operator-settings.json'));
    // The start line names the installer's settings as a layer between the file and the environment.
    expect(describeSources(loaded.sources)).toContain(path.join(dataDir, 'operator-settings.json'));
    // The environment still wins over the installer's choice.
    expect(loadConfig({ env: { RVM__dataDir: dataDir, RVM__server__url: 'https://other.example' }, cwd: dataDir }).config.server.url).toBe('https://other.example');
    expect(readFileSync(path.join(dataDir, 'rvm-credentials.json'), 'utf8')).toContain(sim.credentials.serial_number);
  });
});

describe('the installer PIN', () => {
  it('opens maintenance mode with no server ever reached, and only that PIN', async () => {
    const sim = await startSim({ realtime: false });
    const { kiosk } = await unprovisioned(sim, { server: { mode: 'remote', url: 'http://127.0.0.1:9', realtime: { enabled: false } } });
    await kiosk.core.call('setup.setInstallerPin', { pin: '731902' });
    expect(await kiosk.core.call('maintenance.enter', { pin: '111111' })).toMatchObject({ ok: false });
    expect(await kiosk.core.call('maintenance.enter', { pin: '731902' })).toMatchObject({ ok: true, technicianName: 'installer' });
  });
});

describe('a machine that needs no setup', () => {
  it('demo mode: not needed, no setup_needed reason, setup commands are forbidden', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-first-run-demo-'));
    dirs.push(dataDir);
    const kiosk = await createKiosk(kioskConfig.parse({ dataDir }));
    try {
      expect(kiosk.core.current('setup.state')).toMatchObject({ needed: false, step: 'done' });
      expect(kiosk.status.has('setup_needed')).toBe(false);
      await expect(kiosk.core.call('setup.importCredentials', { file: '/tmp/x.json' })).rejects.toMatchObject({ reason: 'forbidden' });
      await expect(kiosk.core.call('setup.setInstallerPin', { pin: '123456' })).rejects.toMatchObject({ reason: 'forbidden' });
    } finally {
      await kiosk.core.dispose();
    }
  });
});
