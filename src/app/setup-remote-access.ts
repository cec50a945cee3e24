/**
 * Remote access wired into the kiosk: the `remote.*` technician commands, the `remote.state` event, the
 * designed server endpoints as the feature's server port, and the session ended when the kiosk shuts down.
 * Off unless `remoteAccess.enabled` (docs/remote-access.md).
 */
import path from 'node:path';
import { CommandError } from '../core/kiosk-core.js';
import { RemoteAccess, RemoteAccessError, type RemoteServerPort } from '../remote/remote-access.js';
import { remoteAccessStart, remoteAccessStop } from '../server/endpoints/designed-remote.js';
import type { ServerLink } from '../server/server-link.js';
import type { KioskContext } from './context.js';

export async function setupRemoteAccess(ctx: KioskContext, link: ServerLink | null): Promise<RemoteAccess> {
  const { core } = ctx;
  const remote = await RemoteAccess.open(path.join(ctx.config.dataDir, 'remote-access-history.json'), ctx.config.remoteAccess, link ? serverPort(link) : null, (state) => core.emit('remote.state', state));
  core.emit('remote.state', remote.state());

  const refuse = (err: unknown): never => {
    if (err instanceof RemoteAccessError) throw new CommandError(err.code, err.message);
    throw err;
  };
  core.handle('remote.start', (request) => remote.start(request.minutes).catch(refuse));
  core.handle('remote.stop', () => remote.stop());
  core.handle('remote.status', () => remote.state());
  core.handle('remote.history', (request) => ({ entries: remote.historyList(request.limit ?? 50) }));
  core.onDispose(() => remote.stop('shutdown').then(() => undefined));
  return remote;
}

function serverPort(link: ServerLink): RemoteServerPort {
  return {
    feature: () => link.designed.state().remoteAccess,
    async start({ minutes, addresses }) {
      const result = await remoteAccessStart(link.designed, { duration_minutes: minutes, addresses: addresses.map(({ interface: i, address, vpn }) => ({ interface: i, address, vpn })) });
      if (!result.ok) return { kind: result.kind === 'unsupported' ? 'unsupported' : 'error', message: result.message };
      const d = result.data.data;
      return { kind: 'ok', grant: { sessionId: d.session_id, ...(d.host ? { host: d.host } : {}), ...(d.port !== undefined ? { port: d.port } : {}), ...(d.user ? { user: d.user } : {}) } };
    },
    async stop(sessionId, reason) {
      await remoteAccessStop(link.designed, { session_id: sessionId, reason });
    },
  };
}
