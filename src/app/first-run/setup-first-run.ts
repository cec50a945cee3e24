/**
 * First-run setup (issue 13): while the machine has no credentials for its real server, the setup.* commands
 * work without a PIN, recycler sessions are refused (status reason `setup_needed`), and `setup.state` tells the
 * screen what is done. Once setup is finished (or was never needed) the commands are refused with `forbidden`.
 */
import path from 'node:path';
import { CommandError } from '../../core/kiosk-core.js';
import { createLogger } from '../../log/logger.js';
import { hasInstallerPin, INSTALLER_PIN_FILE, setInstallerPin } from '../../maintenance/installer-pin.js';
import type { KioskContext } from '../context.js';
import { testServerConnection } from './connection-test.js';
import { importFromDrive, importTyped, listCredentialDrives, normalizeServerUrl, type ImportOutcome } from './credentials-sources.js';
import { FirstRunState, setupNeeded } from './first-run-state.js';
import { writeOperatorSettings, type OperatorSettingsStore } from './operator-settings.js';
import { isOffered, listSerialPorts, pingSerialPort } from './serial-ports.js';

const log = createLogger('app.setup');
export const SETUP_NEEDED = 'setup_needed';

export interface FirstRunDeps {
  /** The host's restart (Electron relaunch, systemd for the browser host); absent: finishing only marks done. */
  restart?: (reason: string) => void;
  /** False when the configuration never chose demo mode (its default): then no credentials means setup. */
  demoChosen?: boolean;
  /** Where the installer's settings are kept (Electron: electron-store); absent: the JSON file. */
  settings?: OperatorSettingsStore;
}

export async function setupFirstRun(ctx: KioskContext, deps: FirstRunDeps = {}): Promise<FirstRunState> {
  const { core, config, status, secrets } = ctx;
  const state = new FirstRunState(setupNeeded(config, { ...(deps.demoChosen === undefined ? {} : { demoChosen: deps.demoChosen }), ...(secrets ? { secrets } : {}) }), config, secrets);
  const pinFile = path.join(config.dataDir, 'maintenance', INSTALLER_PIN_FILE);
  state.installerPin = await hasInstallerPin(pinFile, secrets);
  const publish = () => core.emit('setup.state', state.snapshot());
  const open = (name: string) => {
    if (!state.open) throw new CommandError('forbidden', `${name}: first-run setup is done`);
  };
  if (state.open) {
    status.raise(SETUP_NEEDED, 'no credentials for the configured server: first-run setup');
    log.warn('no credentials for the configured server: showing first-run setup');
  }
  publish();

  core.handle('setup.status', () => state.snapshot());
  core.handle('setup.usbCredentials', async () => {
    open('setup.usbCredentials');
    return { drives: await listCredentialDrives(config.usbExport.extraDirs) };
  });
  core.handle('setup.importCredentials', async (req) => {
    open('setup.importCredentials');
    const given = 'file' in req ? req.fileServerUrl : req.serverUrl;
    const url = given === undefined ? null : normalizeServerUrl(given);
    let outcome: ImportOutcome;
    if (given !== undefined && !url) outcome = { ok: false, error: 'invalid' };
    else if ('file' in req) outcome = await importFromDrive(req.file, config.usbExport.extraDirs, config.dataDir, secrets);
    else outcome = await importTyped(req, config.dataDir, secrets);
    if (outcome.ok && url) {
      // The installer's server: an operator setting load-config reads at the next start (after finish).
      await writeOperatorSettings(config.dataDir, { server: { mode: 'remote', url } }, deps.settings);
      state.serverUrl = url;
    }
    if (!outcome.ok) return { ok: false, serialNumber: null, error: outcome.error };
    state.credentials = outcome.credentials;
    state.connection = { result: 'untested', at: null };
    log.info('credentials imported', { serialNumber: outcome.credentials.serialNumber });
    publish();
    return { ok: true, serialNumber: outcome.credentials.serialNumber, error: null };
  });
  core.handle('setup.testConnection', async () => {
    open('setup.testConnection');
    // No URL anywhere (a blank machine, credentials from a file): nothing to reach.
    const result = !state.serverUrl ? 'unreachable' : state.credentials ? await testServerConnection(config, state.serverUrl, state.credentials) : 'refused';
    state.connection = { result, at: Date.now() };
    publish();
    return { result };
  });
  core.handle('setup.serialPorts', async () => {
    open('setup.serialPorts');
    return { ports: await listSerialPorts(config.setup.extraSerialPorts) };
  });
  core.handle('setup.pingSerial', async ({ path: port }) => {
    open('setup.pingSerial');
    if (!isOffered(port, await listSerialPorts(config.setup.extraSerialPorts))) throw new CommandError('invalid_request', `${port} is not an offered serial port`);
    const ping = await pingSerialPort(config.hardware, port);
    state.serial = { path: port, ping };
    publish();
    return { ping };
  });
  core.handle('setup.cameraPreview', async () => {
    open('setup.cameraPreview');
    state.cameraSeen = true;
    publish();
    try {
      const { preview } = await core.call('detection.testCapture', {});
      return preview ? { jpegBase64: preview.replace(/^data:image\/jpeg;base64,/, ''), error: null } : { jpegBase64: null, error: 'no_camera' as const };
    } catch {
      return { jpegBase64: null, error: 'capture_failed' as const };
    }
  });
  core.handle('setup.setInstallerPin', async ({ pin }) => {
    open('setup.setInstallerPin');
    await setInstallerPin(pinFile, pin, Date.now(), secrets);
    state.installerPin = true;
    publish();
    return { ok: true };
  });
  core.handle('setup.finish', async () => {
    open('setup.finish');
    if (!state.credentials || !state.installerPin) throw new CommandError('setup_incomplete', 'import credentials and set the installer PIN first');
    // A port from setup.extraSerialPorts is a simulator's pseudo-terminal (tests, demos): it goes away, so it is
    // not persisted and the kiosk does not restart — finishing just marks setup done.
    const simulatedPort = state.serial.path !== null && config.setup.extraSerialPorts.includes(state.serial.path);
    if (state.serial.path && state.serial.ping === 'ok' && !simulatedPort) {
      await writeOperatorSettings(config.dataDir, { hardware: { mode: 'serial', serial: { path: state.serial.path } } }, deps.settings);
    }
    const restart = simulatedPort ? undefined : deps.restart;
    state.finished = true;
    status.clear(SETUP_NEEDED);
    publish();
    log.info('first-run setup finished', { serialNumber: state.credentials.serialNumber, serialPort: state.serial.path, restart: Boolean(restart) });
    restart?.('first-run setup finished');
    return { ok: true };
  });
  return state;
}
