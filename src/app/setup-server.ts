/**
 * MyRVM server link: the simulator on loopback in demo mode (fresh credentials, an active technician
 * assignment, realtime on), the configured server otherwise. Returns at once: the handshake retries in
 * the background, so the kiosk starts and takes items offline when the server is down. Other domains
 * reach the link through src/server/server-hub.ts (time samples, timezone, commands), deposit-sender.ts
 * and pin-auth.ts.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { CommandError } from '../core/kiosk-core.js';
import { createLogger } from '../log/logger.js';
import type { ServerConfig } from '../server/config.js';
import { CredentialsError, loadCredentialsFile, parseCredentials, resolveCredentialsPath, type RvmCredentials } from '../server/credentials.js';
import { ServerLink } from '../server/server-link.js';
import { serverHub } from '../server/server-hub.js';
import { startServerSimulator, type ServerSimulator } from '../server/simulator/server-simulator.js';
import type { SessionServer } from '../session/ports.js';
import type { KioskContext } from './context.js';
import { CORE_VERSION } from './setup-system.js';

const log = createLogger('server');

export async function setupServer(ctx: KioskContext): Promise<SessionServer> {
  const { core, config } = ctx;
  let sim: ServerSimulator | null = null;
  let target: { baseUrl: string; credentials: RvmCredentials; config: ServerConfig };
  if (config.server.mode === 'simulator') {
    sim = await startDemoSimulator(ctx);
    target = demoTarget(sim, config.server);
  } else {
    const remote = remoteTarget(ctx);
    if (typeof remote === 'string') return unconfigured(ctx, remote);
    target = remote;
  }

  const link = new ServerLink({
    mode: config.server.mode,
    baseUrl: target.baseUrl,
    credentials: target.credentials,
    config: target.config,
    timezone: config.timezone,
    version: CORE_VERSION,
    dataDir: config.dataDir,
    binCapacity: () => serverHub(core).binCapacity,
    machineStatus: () => (ctx.status.state === 'maintenance' ? 'maintenance' : 'online'),
  });
  serverHub(core).attach(link);
  link.state.onChange((state) => core.emit('server.state', state));
  link.onCommand((c) => core.emit('server.command', c));
  link.onNotice((n) => core.emit('server.notice', n));
  core.emit('server.state', link.state.get());

  core.handle('server.status', () => {
    const { recent, ...stats } = link.client.stats.snapshot(20);
    return { state: { ...link.state.get(), stats }, recent };
  });
  core.handle('server.testConnection', () => link.testConnection());
  core.handle('server.syncTimezone', (req) => link.syncTimezone(req.manual ?? true));
  core.handle('server.simulatePhoneLogin', async (req) => {
    if (!sim) throw new CommandError('the simulated phone exists only in demo mode');
    const token = link.session.currentToken();
    if (!token) throw new CommandError('no QR code on screen');
    return { sessionId: await phoneLogin(sim.url, token, req.userName ?? 'Pengguna Demo') };
  });

  link.start();
  core.onDispose(async () => {
    serverHub(core).detach(link);
    await link.stop();
  });
  return link.session;
}

async function startDemoSimulator({ core, config }: KioskContext): Promise<ServerSimulator> {
  const s = config.server.simulator;
  const sim = await startServerSimulator({
    host: s.host,
    port: s.port,
    machineName: config.machineName,
    technicianName: s.technicianName,
    realtime: s.realtime,
    ...(s.pin ? { pin: s.pin } : {}),
  });
  core.onDispose(() => sim.close());
  // A simulator's PIN is not a secret: the demo needs it on the console to open maintenance mode.
  log.info(`demo mode: MyRVM server simulator at ${sim.url}; technician PIN ${sim.pin}`);
  return sim;
}

/** The simulator's handshake reports port 443/wss like the real controller; point realtime at it directly. */
function demoTarget(sim: ServerSimulator, server: ServerConfig) {
  const realtime = { ...server.realtime, appKey: sim.pusherAppKey ?? '', host: server.simulator.host, port: sim.port, scheme: 'ws' as const };
  return { baseUrl: sim.url, credentials: parseCredentials(sim.credentials, 'simulator'), config: { ...server, realtime } };
}

function remoteTarget({ config }: KioskContext): { baseUrl: string; credentials: RvmCredentials; config: ServerConfig } | string {
  const server = config.server;
  if (!server.url) return 'no server URL configured (server.url / RVM__server__url)';
  try {
    if (server.credentials) return { baseUrl: server.url, credentials: parseCredentials(server.credentials, 'configuration server.credentials'), config: server };
    const file = resolveCredentialsPath(server.credentialsFile, config.dataDir);
    if (!file) return `credentials file ${server.credentialsFile} not found (import rvm-credentials.json)`;
    return { baseUrl: server.url, credentials: loadCredentialsFile(file), config: server };
  } catch (err) {
    if (err instanceof CredentialsError) return err.message;
    throw err;
  }
}

/** No usable server configuration: the kiosk still runs (guests, offline credits), and says why in server.state. */
function unconfigured({ core, config }: KioskContext, reason: string): SessionServer {
  log.error('server link not started', { reason });
  const state = {
    mode: 'remote' as const,
    serverUrl: config.server.url,
    link: 'unconfigured' as const,
    realtime: 'polling' as const,
    realtimeDetail: 'no server link',
    machineUuid: null,
    rvmId: null,
    serialNumber: '',
    machineName: config.machineName,
    timezone: null,
    lastHandshakeAt: null,
    lastHeartbeatAt: null,
    lastError: reason,
    features: { timezone: 'absent', rvmConfig: 'absent', metrics: 'absent', modelSync: 'absent', sessionStatus: 'absent' } as const,
    stats: { total: 0, failed: 0, avgMs: 0, p95Ms: 0 },
  };
  core.emit('server.state', state);
  core.handle('server.status', () => ({ state, recent: [] }));
  core.handle('server.testConnection', () => ({ ok: false, link: 'unconfigured' as const, message: reason }));
  core.handle('server.syncTimezone', () => ({ supported: false, timezone: null, message: reason }));
  core.handle('server.simulatePhoneLogin', () => {
    throw new CommandError('the simulated phone exists only in demo mode');
  });
  return {
    startGuest: async () => ({ sessionId: `guest_local_${randomBytes(8).toString('hex')}`, displayName: 'Tamu' }),
    qrToken: async () => {
      throw new Error(`QR login unavailable: ${reason}`);
    },
    onAuthorized: () => () => undefined,
  };
}

/** The demo "phone": a separate HTTP client redeeming the token the way a user's app would. */
export async function phoneLogin(simUrl: string, token: string, userName: string): Promise<string> {
  const res = await request(`${simUrl}/api/v2/rvm/session/claim`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ session_token: token, user_name: userName }),
  });
  const body = (await res.body.json().catch(() => null)) as { data?: { session_id?: string }; message?: string } | null;
  if (res.statusCode !== 200 || !body?.data?.session_id) throw new CommandError(`phone login failed: ${body?.message ?? `HTTP ${res.statusCode}`}`);
  return body.data.session_id;
}
