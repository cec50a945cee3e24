/**
 * The MyRVM server link, built before anything that needs it and started later (setup-server.ts): the
 * simulator on loopback in demo mode (fresh credentials, an active technician assignment, realtime on), the
 * configured server otherwise. What the other features need from it is handed to them explicitly — the
 * deposit sender for the outbox, the PIN verifier for maintenance — so nothing looks the link up.
 * Without a usable configuration there is no link: the parts answer "not configured" and say why.
 */
import type { SessionServer } from '../domain/ports.js';
import { createLogger } from '../log/logger.js';
import type { PinVerifier } from '../maintenance/pin-verifier.js';
import type { ServerConfig } from '../server/config.js';
import { CredentialsError, loadCredentialsFile, parseCredentials, resolveCredentialsPath, type RvmCredentials } from '../server/credentials.js';
import { createDepositSender, type DepositSender } from '../server/deposit-sender.js';
import { authenticatePin } from '../server/pin-auth.js';
import { ServerLink } from '../server/server-link.js';
import { startServerSimulator, type ServerSimulator } from '../server/simulator/server-simulator.js';
import type { KioskContext } from './context.js';
import { CORE_VERSION } from './setup-system.js';
import { offlineSessionServer } from './offline-session-server.js';

const log = createLogger('server');

export interface ServerParts {
  /** Null when the configuration names no usable server; `unconfiguredReason` says why. */
  link: ServerLink | null;
  unconfiguredReason: string | null;
  sim: ServerSimulator | null;
  sender: DepositSender;
  verifyPin: PinVerifier;
  session: SessionServer;
}

export async function buildServerLink(ctx: KioskContext): Promise<ServerParts> {
  const { config, bus } = ctx;
  let sim: ServerSimulator | null = null;
  let target: Target | string;
  if (config.server.mode === 'simulator') {
    sim = await startDemoSimulator(ctx);
    target = demoTarget(sim, config.server);
  } else {
    target = remoteTarget(ctx);
  }
  if (typeof target === 'string') return unconfigured(target);

  // The heartbeat reports the fullest recyclable bin; the reject bin is emptied by hand on every visit.
  let fullestBin = 0;
  const offBins = bus.on('machine.bins', (levels) => {
    fullestBin = Math.max(0, ...Object.entries(levels.bins).filter(([bin]) => bin !== 'reject').map(([, level]) => level.percent));
  });
  ctx.core.onDispose(offBins);
  const link = new ServerLink({
    mode: config.server.mode,
    baseUrl: target.baseUrl,
    credentials: target.credentials,
    config: target.config,
    timezone: config.timezone,
    version: CORE_VERSION,
    dataDir: config.dataDir,
    bus,
    binCapacity: () => Math.min(100, fullestBin),
    machineStatus: () => (ctx.status.state === 'maintenance' ? 'maintenance' : 'online'),
  });
  return {
    link,
    unconfiguredReason: null,
    sim,
    sender: createDepositSender(link.client),
    verifyPin: (pin) => authenticatePin(link.client, pin),
    session: link.session,
  };
}

function unconfigured(reason: string): ServerParts {
  log.error('server link not started', { reason });
  return {
    link: null,
    unconfiguredReason: reason,
    sim: null,
    sender: {
      sendDeposit: async () => ({ kind: 'retryable', message: `no server link: ${reason}`, status: null }),
      sendOfflineBatch: async () => ({ kind: 'retryable', message: `no server link: ${reason}`, status: null }),
    },
    verifyPin: async () => ({ kind: 'unavailable', message: `no server link: ${reason}` }),
    session: offlineSessionServer(reason),
  };
}

interface Target {
  baseUrl: string;
  credentials: RvmCredentials;
  config: ServerConfig;
}

async function startDemoSimulator({ core, config }: KioskContext): Promise<ServerSimulator> {
  const s = config.server.simulator;
  const sim = await startServerSimulator({
    host: s.host,
    port: s.port,
    machineName: config.machineName,
    technicianName: s.technicianName,
    realtime: s.realtime,
    confidenceThreshold: s.confidenceThreshold,
    ...(s.pin ? { pin: s.pin } : {}),
  });
  core.onDispose(() => sim.close());
  // A simulator's PIN is not a secret: the demo needs it on the console to open maintenance mode.
  log.info(`demo mode: MyRVM server simulator at ${sim.url}; technician PIN ${sim.pin}`);
  return sim;
}

/** The simulator's handshake reports port 443/wss like the real controller; point realtime at it directly. */
function demoTarget(sim: ServerSimulator, server: ServerConfig): Target {
  const realtime = { ...server.realtime, appKey: sim.pusherAppKey ?? '', host: server.simulator.host, port: sim.port, scheme: 'ws' as const };
  return { baseUrl: sim.url, credentials: parseCredentials(sim.credentials, 'simulator'), config: { ...server, realtime } };
}

function remoteTarget({ config, secrets }: KioskContext): Target | string {
  const server = config.server;
  if (!server.url) return 'no server URL configured (server.url / RVM__server__url)';
  try {
    if (server.credentials) return { baseUrl: server.url, credentials: parseCredentials(server.credentials, 'configuration server.credentials'), config: server };
    const file = resolveCredentialsPath(server.credentialsFile, config.dataDir);
    if (!file) return `credentials file ${server.credentialsFile} not found (import rvm-credentials.json)`;
    return { baseUrl: server.url, credentials: loadCredentialsFile(file, secrets), config: server };
  } catch (err) {
    if (err instanceof CredentialsError) return err.message;
    throw err;
  }
}
