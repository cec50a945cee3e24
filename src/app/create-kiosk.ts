/**
 * Start-up, as a flat list of setupX() calls, one per feature. Each feature module is pure logic plus its
 * setup function; this file only decides the order and hands each feature the parts it depends on.
 */
import { mkdirSync } from 'node:fs';
import type { KioskConfig } from '../config/schema.js';
import { KioskCore } from '../core/kiosk-core.js';
import { createLogger } from '../log/logger.js';
import { authenticatePin } from '../server/pin-auth.js';
import type { KioskContext } from './context.js';
import { wireRemoteCommands } from './remote-commands.js';
import { setupClock } from './setup-clock.js';
import { setupDetection } from './setup-detection.js';
import { setupHardware } from './setup-hardware.js';
import { setupMaintenance } from './setup-maintenance.js';
import { setupOutbox } from './setup-outbox.js';
import { setupServer } from './setup-server.js';
import { setupSession } from './setup-session.js';
import { setupSystem } from './setup-system.js';
import { StatusBoard } from './status-board.js';
import { wireHandshakePolicy, wireServerLink } from './wire-server-link.js';

const log = createLogger('app');

export function isDemoMode(config: KioskConfig): boolean {
  return config.hardware.mode === 'simulator' && config.server.mode === 'simulator';
}

export async function createKiosk(config: KioskConfig): Promise<KioskContext> {
  mkdirSync(config.dataDir, { recursive: true });
  const core = new KioskCore();
  const demoMode = isDemoMode(config);
  const status = new StatusBoard(core, config.machineName, demoMode);
  const ctx: KioskContext = { core, config, status, demoMode };

  setupSystem(ctx);
  const clock = setupClock(ctx);
  // The outbox opens first: credits from before a crash start flowing as soon as the link is up.
  const outbox = await setupOutbox(ctx);
  wireServerLink(ctx, { clock, outbox });
  const machine = await setupHardware(ctx);
  const classifier = await setupDetection(ctx, machine);
  const server = await setupServer(ctx);
  wireHandshakePolicy(ctx, { classifier, machine });
  await setupMaintenance(ctx, { verifyPin: (pin) => authenticatePin(core, pin), now: () => clock.serverNow() });
  await setupSession(ctx, { machine, classifier, credits: outbox, server });
  core.onDispose(wireRemoteCommands(core));

  status.markStarted();
  log.info('kiosk core started', { demoMode, dataDir: config.dataDir });
  return ctx;
}
