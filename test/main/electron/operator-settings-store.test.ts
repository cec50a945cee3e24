/**
 * The installer's settings kept with electron-store (main/electron/operator-settings-store.ts), against a mocked
 * `electron` and the real electron-store on a temporary folder: its file is exactly the JSON the Node hosts and
 * the CLI read (<dataDir>/operator-settings.json, 0600), load-config layers it the same way, and a damaged or
 * hand-widened file is an error naming it — never emptied or obeyed.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fileOperatorSettings, OPERATOR_SETTINGS_FILE, readOperatorSettings, writeOperatorSettings } from '../../../src/app/first-run/operator-settings.js';
import { loadConfig } from '../../../src/app/load-config.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);
const { electronOperatorSettings } = await import('../../../main/electron/operator-settings-store.js');

let dataDir: string;
const file = () => path.join(dataDir, OPERATOR_SETTINGS_FILE);
beforeEach(async () => {
  fake.reset();
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'rvm-opsettings-')), 'data');
  await mkdir(dataDir);
});
afterEach(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));
afterAll(() => fake.cleanup());

it('writes the same 0600 JSON file the Node hosts and load-config read', async () => {
  await writeOperatorSettings(dataDir, { server: { mode: 'remote', url: 'https://rvm.example' } }, electronOperatorSettings);
  await writeOperatorSettings(dataDir, { hardware: { mode: 'serial', serial: { path: '/dev/serial/by-id/usb-rvm' } } }, electronOperatorSettings);
  expect(statSync(file()).mode & 0o777).toBe(0o600);
  const expected = { server: { mode: 'remote', url: 'https://rvm.example' }, hardware: { mode: 'serial', serial: { path: '/dev/serial/by-id/usb-rvm' } } };
  expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(expected);
  expect(readOperatorSettings(dataDir, fileOperatorSettings)).toEqual(expected);

  const { config, sources } = loadConfig({ argv: [], cwd: dataDir, env: { RVM__dataDir: dataDir } });
  expect(config.server).toMatchObject({ mode: 'remote', url: 'https://rvm.example' });
  expect(config.hardware.serial.path).toBe('/dev/serial/by-id/usb-rvm');
  expect(sources.operatorSettings).toBe(file());
});

it('reads what the file store wrote, and load-config reads through it', async () => {
  await writeOperatorSettings(dataDir, { server: { mode: 'remote', url: 'https://other.example' } });
  expect(readOperatorSettings(dataDir, electronOperatorSettings)).toEqual({ server: { mode: 'remote', url: 'https://other.example' } });
  const { config } = loadConfig({ argv: [], cwd: dataDir, env: { RVM__dataDir: dataDir }, settingsStore: electronOperatorSettings });
  expect(config.server.url).toBe('https://other.example');
});

it('names a data folder that is a file as the configuration error, as the file store does', () => {
  const notAFolder = path.join(path.dirname(dataDir), 'not-a-folder');
  writeFileSync(notAFolder, '');
  expect(() => loadConfig({ argv: [], cwd: dataDir, env: { RVM__dataDir: notAFolder }, settingsStore: electronOperatorSettings })).toThrow(`dataDir "${notAFolder}" (from RVM__dataDir) is not a folder`);
});

it('is empty with no file, and refuses a damaged file or a key outside its schema, naming the file', () => {
  expect(readOperatorSettings(dataDir, electronOperatorSettings)).toEqual({});
  writeFileSync(file(), '{"server": {"url": ');
  expect(() => readOperatorSettings(dataDir, electronOperatorSettings)).toThrow(file());
  expect(readFileSync(file(), 'utf8')).toBe('{"server": {"url": '); // not cleared
  writeFileSync(file(), JSON.stringify({ server: { url: 'https://x.example', credentials: { api_key: 'sneaky' } } }));
  expect(() => readOperatorSettings(dataDir, electronOperatorSettings)).toThrow(/operator-settings\.json: not valid operator settings \(server\)/);
});
