/**
 * The Electron host's secret store against a mocked `electron` (its safeStorage seals reversibly here): the
 * password store is chosen before ready, the kiosk's secret files are sealed 0600 envelopes that no longer hold
 * the key in plain text, the Node hosts' store refuses a sealed file with a reason, plain files still open
 * (and are sealed at the next start), and without safeStorage — not available, or no ready in time — the
 * 0600 files stay the protection.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kioskConfig } from '../../../src/app/config-schema.js';
import { checkCredentials } from '../../../src/app/doctor/check-credentials.js';
import { loadConfig } from '../../../src/app/load-config.js';
import { kioskSecretFiles, sealPlainSecretFiles } from '../../../src/app/first-run/secret-files.js';
import { hasInstallerPin, matchesInstallerPin, setInstallerPin } from '../../../src/maintenance/installer-pin.js';
import { CredentialsError, loadCredentialsFile } from '../../../src/server/credentials.js';
import { importCredentials } from '../../../src/server/import-credentials.js';
import { fileSecrets, sealedEnvelope } from '../../../src/storage/secret-store.js';
import { importCredentialsCommand } from '../../../main/cli/import-credentials.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);
const { choosePasswordStore, hostSecrets, safeStorageSecrets } = await import('../../../main/electron/safe-storage-secrets.js');

const API_KEY = 'rvm_live_0123456789abcdef0123';
const CREDENTIALS = { serial_number: 'RVM-0042', api_key: API_KEY, name: 'Lobby machine', generated_at: '2026-11-01T00:00:00Z' };

let root: string;
let dataDir: string;
let usbFile: string;
beforeEach(() => {
  fake.reset();
  root = mkdtempSync(path.join(tmpdir(), 'rvm-secrets-'));
  dataDir = path.join(root, 'data');
  usbFile = path.join(root, 'usb', 'rvm-credentials.json');
  mkdirSync(path.dirname(usbFile));
  writeFileSync(usbFile, JSON.stringify(CREDENTIALS));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(root, { recursive: true, force: true });
});
afterAll(() => fake.cleanup());

const sealing = () => {
  const store = safeStorageSecrets();
  if (!store) throw new Error('the fake safeStorage should be available');
  return store;
};

describe('the password store', () => {
  it('is the basic store unless the command line names one (no keyring prompt on an auto-login kiosk)', () => {
    const none = { hasSwitch: vi.fn(() => false), appendSwitch: vi.fn() };
    choosePasswordStore(none);
    expect(none.appendSwitch).toHaveBeenCalledWith('password-store', 'basic');
    const named = { hasSwitch: vi.fn(() => true), appendSwitch: vi.fn() };
    choosePasswordStore(named);
    expect(named.appendSwitch).not.toHaveBeenCalled();
  });
});

describe('credentials sealed with safeStorage', () => {
  it('are written as a 0600 envelope without the key in plain text, and open through the same store', async () => {
    const store = sealing();
    expect(store.protection()).toEqual({ kind: 'safe-storage', backend: 'basic_text', encrypted: false });
    const { file } = await importCredentials(usbFile, dataDir, store);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(API_KEY);
    expect(sealedEnvelope(text)).toMatchObject({ rvmSealed: 1, with: 'electron-safeStorage', backend: 'basic_text' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(fake.safeStorage.encryptString).toHaveBeenCalled();
    expect(loadCredentialsFile(file, store).edgeAuthHeader()).toEqual({ 'X-RVM-API-KEY': API_KEY });
  });

  it('cannot be read by the Node hosts\' store, which says where they can be opened', async () => {
    const { file } = await importCredentials(usbFile, dataDir, sealing());
    expect(() => loadCredentialsFile(file, fileSecrets)).toThrow(CredentialsError);
    expect(() => loadCredentialsFile(file)).toThrow(/sealed by the Electron kiosk's safeStorage \(basic_text\).*\/opt\/rvm\/current\/rvm-kiosk/);
  });

  it('name the other password store when they were sealed with a keyring this process does not use', async () => {
    fake.safeStorage.backend = 'gnome_libsecret';
    const { file } = await importCredentials(usbFile, dataDir, sealing());
    fake.safeStorage.backend = 'basic_text';
    fake.safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    });
    expect(() => loadCredentialsFile(file, sealing())).toThrow(/sealed with the gnome_libsecret store and this process uses basic_text: start it with the same --password-store/);
  });

  it('the doctor says how the file rests, and that the basic store is obfuscation only', async () => {
    await importCredentialsCommand(usbFile, kioskConfig.parse({ dataDir, server: { mode: 'remote', url: 'https://rvm.example' } }), { force: false, cwd: root, secrets: sealing() });
    const { config, sources } = loadConfig({ argv: [], env: { RVM__server__mode: 'remote', RVM__server__url: 'https://rvm.example', RVM__dataDir: dataDir }, cwd: root });
    const { result } = checkCredentials({ config, sources, env: {}, cwd: root, secrets: sealing() });
    expect(result).toMatchObject({ status: 'ok' });
    expect(result.detail).toContain('RVM-0042 (Lobby machine)');
    expect(result.detail).toMatch(/sealed by safeStorage with the basic store \(obfuscation only: the 0600 mode is the protection\)/);
    const plain = checkCredentials({ config, sources, env: {}, cwd: root });
    expect(plain.result).toMatchObject({ status: 'fail' });
    expect(plain.result.detail).toMatch(/sealed by the Electron kiosk's safeStorage/);
  });
});

describe('the installer PIN hash', () => {
  it('is sealed too, and still opens maintenance with the right PIN only', async () => {
    const store = sealing();
    const file = path.join(dataDir, 'maintenance', 'installer-pin.json');
    await setInstallerPin(file, '424242', Date.now(), store);
    expect(sealedEnvelope(readFileSync(file, 'utf8'))).not.toBeNull();
    expect(readFileSync(file, 'utf8')).not.toContain('"hash"');
    expect(await hasInstallerPin(file, store)).toBe(true);
    expect(await matchesInstallerPin(file, '424242', store)).toBe(true);
    expect(await matchesInstallerPin(file, '000000', store)).toBe(false);
    // Where it cannot be opened it reads as "no installer PIN": the server's PIN path still works.
    expect(await matchesInstallerPin(file, '424242', fileSecrets)).toBe(false);
  });
});

describe('plain files from before (or from a checkout)', () => {
  it('open as they are, and are sealed in place at the next Electron start', async () => {
    await importCredentials(usbFile, dataDir); // the Node host: plain 0600
    const pinFile = path.join(dataDir, 'maintenance', 'installer-pin.json');
    await setInstallerPin(pinFile, '135790');
    const [credentialsFile] = kioskSecretFiles(dataDir);
    const store = sealing();
    expect(loadCredentialsFile(credentialsFile!, store).serialNumber).toBe('RVM-0042');

    expect(await sealPlainSecretFiles(dataDir, store)).toEqual([credentialsFile, pinFile]);
    expect(readFileSync(credentialsFile!, 'utf8')).not.toContain(API_KEY);
    expect(statSync(credentialsFile!).mode & 0o777).toBe(0o600);
    expect(loadCredentialsFile(credentialsFile!, store).serialNumber).toBe('RVM-0042');
    expect(await matchesInstallerPin(pinFile, '135790', store)).toBe(true);
    expect(await sealPlainSecretFiles(dataDir, store)).toEqual([]); // already sealed: left alone
    expect(await sealPlainSecretFiles(dataDir, fileSecrets)).toEqual([]); // nothing to seal with
  });
});

describe('without safeStorage', () => {
  it('keeps 0600 files when the key store is not available', async () => {
    fake.safeStorage.available = false;
    expect(safeStorageSecrets()).toBeNull();
    const store = await hostSecrets(1000);
    expect(store).toBe(fileSecrets);
    const { file } = await importCredentials(usbFile, dataDir, store);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ serial_number: 'RVM-0042' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps 0600 files when the app does not get ready in time (a one-shot command without a display)', async () => {
    vi.useFakeTimers();
    fake.app.whenReady.mockImplementationOnce(() => new Promise(() => undefined));
    const pending = hostSecrets(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await pending).toBe(fileSecrets);
    expect(fake.safeStorage.isEncryptionAvailable).not.toHaveBeenCalled();
  });

  it('uses safeStorage once the app is ready', async () => {
    const store = await hostSecrets(1000);
    expect(store.protection().kind).toBe('safe-storage');
  });
});

it('never leaves the secret readable by others while it is written', async () => {
  await mkdir(dataDir, { recursive: true });
  const { file } = await importCredentials(usbFile, dataDir, sealing());
  expect(statSync(file).mode & 0o077).toBe(0);
});
