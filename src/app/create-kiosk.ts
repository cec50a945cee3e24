/**
 * Start-up, as a flat list of setupX() calls, one per feature. Each feature module is pure logic plus its
 * setup function; this file only decides the order and hands each feature the parts it depends on.
 */
import { mkdirSync } from 'node:fs';
import type { KioskConfig } from './config-schema.js';
import { EventBus } from '../core/event-bus.js';
import { KioskCore } from '../core/kiosk-core.js';
import type { KioskEvents } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { applyPolicy } from './apply-policy.js';
import { buildServerLink } from './build-server-link.js';
import type { KioskContext } from './context.js';
import { wireRemoteCommands } from './remote-commands.js';
import { restoreStagedBackup, setupBackup } from './setup-backup.js';
import { setupClock, setupTimezoneSync } from './setup-clock.js';
import { setupDetection } from './setup-detection.js';
import { setupExport } from './setup-export.js';
import { setupFirstRun } from './first-run/setup-first-run.js';
import { wireAlertDeliveries } from './alert-deliveries.js';
import { setupHardware } from './setup-hardware.js';
import { setupMaintenance } from './setup-maintenance.js';
import { setupMonitoring } from './setup-monitoring.js';
import { setupMonitoringChannels } from './setup-monitoring-channels.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import type { SecretStore } from '../storage/secret-store.js';
import type { OperatorSettingsStore } from './first-run/operator-settings.js';
import { setupOperatorLog } from './setup-operator-log.js';
import { setupOutbox } from './setup-outbox.js';
import { setupRemoteAccess } from './setup-remote-access.js';
import { forwardServerNotices } from './server-notices.js';
import { setupServer } from './setup-server.js';
import { setupSession } from './setup-session.js';
import { setupSystem } from './setup-system.js';
import { setupTechnician } from './setup-technician.js';
import { StatusBoard } from './status-board.js';
import { wireHandshakePolicy, wireServerLink } from './wire-server-link.js';

const log = createLogger('app');

export function isDemoMode(config: KioskConfig): boolean {
  return config.hardware.mode === 'simulator' && config.server.mode === 'simulator';
}

export interface CreateKioskOptions {
  /** The host passes demoModeChosen(sources) (src/app/first-run/first-run-state.ts); absent = chosen. */
  demoChosen?: boolean;
  /** The host's secret store (main/electron/safe-storage-secrets.ts under Electron); absent: 0600 files. */
  secrets?: SecretStore;
  /** Where first-run setup keeps the installer's settings (Electron: electron-store); absent: the JSON file. */
  settings?: OperatorSettingsStore;
}

export async function createKiosk(config: KioskConfig, opts: CreateKioskOptions = {}): Promise<KioskContext> {
  mkdirSync(config.dataDir, { recursive: true });
  const core = new KioskCore();
  const bus = new EventBus<KioskEvents>();
  core.onDispose(() => bus.clear());
  const demoMode = isDemoMode(config);
  const status = new StatusBoard(core, config.machineName, demoMode);
  const ctx: KioskContext = { core, bus, config, status, demoMode, ...(opts.secrets ? { secrets: opts.secrets } : {}) };

  // First: it hears every feature's start-up events and, closed last, their shutdown too.
  setupOperatorLog(ctx);
  setupSystem(ctx);
  // A restore staged from the maintenance screen goes in before any store below opens its files.
  await restoreStagedBackup(config, ctx.secrets);
  const clock = setupClock(ctx);
  // The link is built (not started) first, so every feature gets what it needs from it explicitly.
  const server = await buildServerLink(ctx);
  // The outbox opens before the link starts: credits from before a crash flow as soon as it is up.
  const outbox = await setupOutbox(ctx);
  wireServerLink(ctx, server, { clock, outbox });
  setupTimezoneSync(ctx, clock, server.link);
  const machine = await setupHardware(ctx);
  const classifier = await setupDetection(ctx, machine);
  wireHandshakePolicy(ctx, server.link, { classifier, machine });
  applyPolicy(ctx, server.link, { camera: classifier.camera, machine });
  forwardServerNotices(ctx);
  setupServer(ctx, server);
  // No credentials for a real server: the setup screen instead of sessions. Finishing restarts through the same
  // request the server's RESTART uses (waits for idle; the host relaunches).
  await setupFirstRun(ctx, { ...(opts.demoChosen === undefined ? {} : { demoChosen: opts.demoChosen }), ...(opts.settings ? { settings: opts.settings } : {}), restart: () => bus.emit('server.command', { id: 'first-run-setup', command: 'RESTART', params: { origin: 'first-run setup' }, source: 'heartbeat', at: new Date().toISOString() }) });
  const maintenance = await setupMaintenance(ctx, { verifyPin: server.verifyPin, now: () => clock.serverNow() });
  await setupSession(ctx, { machine, classifier, credits: outbox, server: server.session });
  // The channels subscribe before monitoring starts, so no reading or alert emitted at start is missed.
  let monitoring: Monitoring | null = null;
  const channels = await setupMonitoringChannels(ctx, { serial: server.link?.hardwareId ?? null, link: server.link, openAlerts: () => monitoring?.alerts.open() ?? [] });
  monitoring = await setupMonitoring(ctx, { link: server.link, maintenance });
  const alerts = monitoring.alerts;
  core.onDispose(wireAlertDeliveries(channels.webhook, alerts, () => core.emit('monitoring.alerts', { open: alerts.open() })));
  const audit = await setupTechnician(ctx, { maintenance, client: server.link?.client ?? null });
  setupExport(ctx, { monitoring, outbox, audit, serial: server.link?.hardwareId ?? null });
  await setupBackup(ctx, { link: server.link });
  await setupRemoteAccess(ctx, server.link);
  core.onDispose(wireRemoteCommands(ctx));

  status.markStarted();
  log.info('kiosk core started', { demoMode, dataDir: config.dataDir });
  return ctx;
}
