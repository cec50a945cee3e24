/**
 * First-run setup with a host that seals secrets (the Electron kiosk's safeStorage, played here by a reversible
 * stand-in behind the same SecretStore port): the imported credentials and the installer PIN's hash land on
 * disk sealed (0600, no key in plain text), and the next start of the core — the server link, the setup check
 * and maintenance — opens them through the host's store. Against the server simulator on loopback. (The
 * restart after setup also used to lock the PIN keypad: the lockout's key switched from its key file to the
 * new API key, so its saved state failed the check; src/app/setup-maintenance.ts keeps the key file now.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { kioskConfig, type KioskConfig } from '../../../src/app/config-schema.js';
import type { KioskContext } from '../../../src/app/context.js';
import { createKiosk } from '../../../src/app/create-kiosk.js';
import { envelopeText, sealedEnvelope, SecretStoreError, type SecretStore } from '../../../src/storage/secret-store.js';
import { cleanupServerSims, startSim, type ServerSimulator } from '../../helpers/server-sim.js';

/** Seals by reversing the bytes inside the envelope the Electron store writes: enough to tell sealed from plain. */
const reversing: SecretStore = {
  protection: () => ({ kind: 'safe-storage', backend: 'test', encrypted: true }),
  seal: (plain) => envelopeText('test', Buffer.from(plain).reverse()),
  open(text, file) {
    const sealed = sealedEnvelope(text);
    if (!sealed) return text;
    if (sealed.backend !== 'test') throw new SecretStoreError(`${file}: sealed elsewhere`);
    return Buffer.from(sealed.data, 'base64').reverse().toString('utf8');
  },
};

let sim: ServerSimulator;
let root: string;
let config: KioskConfig;
let running: KioskContext | null = null;
beforeEach(async () => {
  sim = await startSim({ realtime: false });
  root = mkdtempSync(path.join(os.tmpdir(), 'rvm-first-run-secrets-'));
  const usbDir = path.join(root, 'RVM-STICK');
  mkdirSync(usbDir);
  writeFileSync(path.join(usbDir, 'rvm-credentials.json'), JSON.stringify(sim.credentials));
  config = kioskConfig.parse({ dataDir: path.join(root, 'data'), server: { mode: 'remote', url: sim.url, realtime: { enabled: false } }, usbExport: { extraDirs: [usbDir] } });
});
afterEach(async () => {
  await running?.core.dispose();
  running = null;
  await cleanupServerSims();
  rmSync(root, { recursive: true, force: true });
});

it('keeps the imported key and the installer PIN sealed, and the next start opens both through the host', async () => {
  running = await createKiosk(config, { secrets: reversing });
  const { core } = running;
  const { drives } = await core.call('setup.usbCredentials', {});
  expect(await core.call('setup.importCredentials', { file: drives[0]!.files[0]! })).toMatchObject({ ok: true });
  expect(await core.call('setup.setInstallerPin', { pin: '246810' })).toEqual({ ok: true });

  const credentialsFile = path.join(config.dataDir, 'rvm-credentials.json');
  const pinFile = path.join(config.dataDir, 'maintenance', 'installer-pin.json');
  for (const file of [credentialsFile, pinFile]) {
    expect(sealedEnvelope(readFileSync(file, 'utf8'))).toMatchObject({ backend: 'test' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }
  expect(readFileSync(credentialsFile, 'utf8')).not.toContain(sim.credentials.api_key);
  await running.core.dispose();

  // The next start: credentials found (no setup), the link uses them, the installer PIN opens maintenance.
  running = await createKiosk(config, { secrets: reversing });
  expect(running.core.current('setup.state')).toMatchObject({ needed: false, credentials: { present: true, serialNumber: sim.credentials.serial_number } });
  expect(await running.core.call('maintenance.enter', { pin: '246810' })).toMatchObject({ ok: true, technicianName: 'installer' });
});

it('a start without the host\'s store finds no usable credentials and asks for setup again, without crashing', async () => {
  running = await createKiosk(config, { secrets: reversing });
  const { drives } = await running.core.call('setup.usbCredentials', {});
  await running.core.call('setup.importCredentials', { file: drives[0]!.files[0]! });
  await running.core.dispose();

  running = await createKiosk(config);
  expect(running.core.current('setup.state')).toMatchObject({ needed: true, credentials: { present: false } });
});
