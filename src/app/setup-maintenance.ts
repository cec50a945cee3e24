/**
 * Maintenance mode: the maintenance.* commands, the `maintenance.state` event, and the machine status.
 * The PIN verifier comes from the server link — `(pin) => authenticatePin(link.client, pin)` from
 * src/server/pin-auth.ts, built in build-server-link.ts (the simulator's same endpoint in demo mode).
 *
 * The lockout lives in <dataDir>/maintenance/pin-lockout.json, signed with a key derived from the machine's
 * API key (remote mode with credentials) or else kept in <dataDir>/maintenance/pin-lockout.key; the marker
 * <dataDir>/.pin-lockout-written remembers that the kiosk has written it, so a deleted file locks. Lockout
 * time runs on the device's monotonic clock, never on server time.
 *
 * Technician rights belong to the connection that entered the PIN (the command's `connectionId`); when that
 * connection closes, maintenance mode ends.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { KioskConfig } from './config-schema.js';
import type { DeviceClock } from '../maintenance/device-clock.js';
import { lockoutMacKey, type LockoutKeySource } from '../maintenance/lockout-key.js';
import { MaintenanceMode } from '../maintenance/maintenance-mode.js';
import { fsyncDir } from '../storage/durable-fs.js';
import { withOfflineFallback } from '../maintenance/offline-pin.js';
import { INSTALLER_PIN_FILE, withInstallerPin } from '../maintenance/installer-pin.js';
import { PinLockout } from '../maintenance/pin-lockout.js';
import type { PinVerifier } from '../maintenance/pin-verifier.js';
import { loadCredentialsFile, resolveCredentialsPath } from '../server/credentials.js';
import type { SecretStore } from '../storage/secret-store.js';
import type { KioskContext } from './context.js';

export interface MaintenanceDeps {
  verifyPin: PinVerifier;
  /**
   * The clock the screen shows (clock.serverNow): turns lock durations and the inactivity exit into the epoch
   * times in `maintenance.state`, and dates the offline PIN's validity. The lockout never runs on it.
   */
  now?: () => number;
  /** The lockout's own clock; the process's monotonic clock and the machine's uptime unless a test swaps it. */
  deviceClock?: DeviceClock;
}

export async function setupMaintenance(ctx: KioskContext, deps: MaintenanceDeps): Promise<MaintenanceMode> {
  const { core, status } = ctx;
  const settings = ctx.config.maintenance;
  const dir = path.join(ctx.config.dataDir, 'maintenance');
  await mkdir(dir, { recursive: true });
  await fsyncDir(ctx.config.dataDir); // the new directory's entry must outlive a power cut, like the file in it
  const now = deps.now ?? Date.now;
  const lockout = await PinLockout.open({
    file: path.join(dir, 'pin-lockout.json'),
    marker: path.join(ctx.config.dataDir, '.pin-lockout-written'),
    key: await lockoutMacKey(lockoutKeySource(ctx.config, dir, ctx.secrets)),
    policy: settings,
    ...(deps.deviceClock ? { clock: deps.deviceClock } : {}),
  });
  const serverOrCached = withOfflineFallback(deps.verifyPin, { file: path.join(dir, 'offline-pin.json'), validityMs: settings.offlinePinValidityMs, now });
  // The installer PIN from first-run setup opens maintenance without any server (src/maintenance/installer-pin.ts).
  const verify = withInstallerPin(serverOrCached, path.join(dir, INSTALLER_PIN_FILE), ctx.secrets);
  const mode = new MaintenanceMode(lockout, verify, settings.inactivityMs, {
    onChange: (state) => core.emit('maintenance.state', state),
    setMaintenance: (on) => status.setMaintenance(on),
    now,
  });

  core.setTechnicianCheck(({ connectionId }) => mode.allows(connectionId));
  core.onDispose(core.onConnectionClosed((connectionId) => mode.connectionClosed(connectionId)));
  core.handle('maintenance.enter', (request, caller) => mode.enter(request.pin, caller));
  core.handle('maintenance.exit', (_request, caller) => mode.exit('technician', caller));
  core.handle('maintenance.status', () => mode.state());
  core.handle('maintenance.touch', (_request, caller) => mode.touch(caller));
  core.onDispose(() => mode.dispose());
  mode.touch(); // publish the initial state (a lock that survived a restart shows at once)
  return mode;
}

/**
 * The machine's API key when it has real credentials (remote mode): never logged, never written. Demo mode's
 * simulator makes new credentials at every start, and a machine may run before its credentials are imported:
 * both use the key file. A machine that ran before its credentials came (first-run setup) keeps its key file:
 * switching to the API key would fail the saved state's check and lock the keypad right after setup.
 */
function lockoutKeySource(config: KioskConfig, dir: string, secrets?: SecretStore): LockoutKeySource {
  const keyFile = { keyFile: path.join(dir, 'pin-lockout.key') };
  if (config.server.mode !== 'remote' || existsSync(keyFile.keyFile)) return keyFile;
  if (config.server.credentials) return { secret: config.server.credentials.api_key };
  const file = resolveCredentialsPath(config.server.credentialsFile, config.dataDir);
  if (!file) return keyFile;
  try {
    const header = loadCredentialsFile(file, secrets).edgeAuthHeader();
    const apiKey = header['X-RVM-API-KEY'];
    return apiKey ? { secret: apiKey } : keyFile;
  } catch {
    return keyFile; // the server link reports unusable credentials; the lockout still needs a key
  }
}
