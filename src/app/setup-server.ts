/**
 * The server.* commands and the `server.state` event over the link built by build-server-link.ts, and the
 * start of the link: it returns at once, the handshake retries in the background, so the kiosk starts and
 * takes items offline when the server is down.
 */
import { request } from 'undici';
import { CommandError } from '../core/kiosk-core.js';
import type { ServerParts } from './build-server-link.js';
import type { KioskContext } from './context.js';

export function setupServer(ctx: KioskContext, parts: ServerParts): void {
  const { core } = ctx;
  const { link, sim } = parts;
  core.handle('server.simulatePhoneLogin', async (req) => {
    if (!sim || !link) throw new CommandError('demo_only', 'the simulated phone exists only in demo mode');
    const token = link.session.currentToken();
    if (!token) throw new CommandError('no_qr', 'no QR code on screen');
    return { sessionId: await phoneLogin(sim.url, token, req.userName ?? 'Pengguna Demo') };
  });
  if (!link) {
    unconfiguredCommands(ctx, parts.unconfiguredReason ?? 'no server link');
    return;
  }

  link.state.onChange((state) => core.emit('server.state', state));
  core.emit('server.state', link.state.get());
  core.handle('server.status', () => {
    const { recent, ...stats } = link.client.stats.snapshot(20);
    return { state: { ...link.state.get(), stats }, recent };
  });
  core.handle('server.testConnection', () => link.testConnection());

  link.start();
  core.onDispose(() => link.stop());
}

/** No usable server configuration: the kiosk still runs (guests, offline credits), and says why in server.state. */
function unconfiguredCommands({ core, config }: KioskContext, reason: string): void {
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
    features: { timezone: 'absent', rvmConfig: 'absent', sessionStatus: 'absent', telemetry: 'absent', metrics: 'absent', remoteAccess: 'absent' } as const,
    stats: { total: 0, failed: 0, avgMs: 0, p95Ms: 0 },
  };
  core.emit('server.state', state);
  core.handle('server.status', () => ({ state, recent: [] }));
  core.handle('server.testConnection', () => ({ ok: false, link: 'unconfigured' as const, message: reason }));
}

/** The demo "phone": a separate HTTP client redeeming the token the way a user's app would. */
export async function phoneLogin(simUrl: string, token: string, userName: string): Promise<string> {
  const res = await request(`${simUrl}/api/v2/rvm/session/claim`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ session_token: token, user_name: userName }),
  });
  const body = (await res.body.json().catch(() => null)) as { data?: { session_id?: string }; message?: string } | null;
  if (res.statusCode !== 200 || !body?.data?.session_id) throw new CommandError('phone_login_failed', `phone login failed: ${body?.message ?? `HTTP ${res.statusCode}`}`);
  return body.data.session_id;
}
