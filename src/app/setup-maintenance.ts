/**
 * Maintenance mode: the maintenance.* commands, the `maintenance.state` event, and the machine status.
 * The PIN verifier comes from the server link — `(pin) => authenticatePin(link.client, pin)` from
 * src/server/pin-auth.ts, built in build-server-link.ts (the simulator's same endpoint in demo mode). The lockout lives in
 * <dataDir>/maintenance/pin-lockout.json.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MaintenanceMode } from '../maintenance/maintenance-mode.js';
import { fsyncDir } from '../storage/durable-fs.js';
import { withOfflineFallback } from '../maintenance/offline-pin.js';
import { PinLockout } from '../maintenance/pin-lockout.js';
import type { PinVerifier } from '../maintenance/pin-verifier.js';
import type { KioskContext } from './context.js';

export interface MaintenanceDeps {
  verifyPin: PinVerifier;
  /** Time for the lockout; pass the server-synced clock (clock.serverNow) when there is one. */
  now?: () => number;
}

export async function setupMaintenance(ctx: KioskContext, deps: MaintenanceDeps): Promise<MaintenanceMode> {
  const { core, status } = ctx;
  const settings = ctx.config.maintenance;
  const dir = path.join(ctx.config.dataDir, 'maintenance');
  await mkdir(dir, { recursive: true });
  await fsyncDir(ctx.config.dataDir); // the new directory's entry must outlive a power cut, like the file in it
  const now = deps.now ?? Date.now;
  const lockout = await PinLockout.open(path.join(dir, 'pin-lockout.json'), settings, now);
  const verify = withOfflineFallback(deps.verifyPin, { file: path.join(dir, 'offline-pin.json'), validityMs: settings.offlinePinValidityMs, now });
  const mode = new MaintenanceMode(lockout, verify, settings.inactivityMs, {
    onChange: (state) => core.emit('maintenance.state', state),
    setMaintenance: (on) => status.setMaintenance(on),
    now,
  });

  core.setTechnicianCheck(() => mode.state().active);
  core.handle('maintenance.enter', (request) => mode.enter(request.pin));
  core.handle('maintenance.exit', () => mode.exit());
  core.handle('maintenance.status', () => mode.state());
  core.handle('maintenance.touch', () => mode.touch());
  core.onDispose(() => mode.dispose());
  mode.touch(); // publish the initial state (a lock that survived a restart shows at once)
  return mode;
}
