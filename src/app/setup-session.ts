/**
 * The recycler's session: commands (start as guest or by QR, finish, cancel), the QR login, and the deposit
 * pipeline that turns inserted items into durable credits.
 */
import { CommandError } from '../core/kiosk-core.js';
import { createLogger } from '../log/logger.js';
import { wireDepositPipeline } from '../session/deposit-pipeline.js';
import type { CreditStore, ItemClassifier, MachinePort, SessionServer } from '../domain/ports.js';
import { wireQrLogin } from '../session/qr-login.js';
import { SessionFlow } from '../session/session-flow.js';
import type { KioskContext } from './context.js';

const log = createLogger('session');

export interface SessionParts {
  machine: MachinePort;
  classifier: ItemClassifier;
  credits: CreditStore;
  server: SessionServer;
}

export async function setupSession({ core, bus, status, config }: KioskContext, parts: SessionParts): Promise<SessionFlow> {
  const phaseListeners = new Set<() => void>();
  let lastPhase: string | null = null;
  const flow = new SessionFlow(
    (state) => {
      core.emit('session.state', state);
      for (const listener of phaseListeners) listener();
      if (state.phase !== lastPhase) {
        lastPhase = state.phase;
        bus.emit('session.phase', { phase: state.phase, sessionId: state.sessionId });
      }
    },
    config.session,
  );
  core.emit('session.state', flow.current);

  const offQr = wireQrLogin(flow, parts.server, (listener) => phaseListeners.add(listener));
  const offPipeline = wireDepositPipeline({ ...parts, flow, points: config.points, onBusy: (busy) => status.setBusy(busy) });
  core.onDispose(() => {
    offQr();
    offPipeline();
    flow.dispose();
  });

  core.handle('session.start', (request) => {
    if (status.state === 'out_of_service' || status.state === 'maintenance') {
      throw new CommandError('machine is not taking items right now');
    }
    if (!flow.send(request.mode === 'guest' ? 'start_guest' : 'start_qr')) {
      throw new CommandError(`cannot start a session while ${flow.current.phase}`);
    }
    if (request.mode === 'guest') {
      // Server bookkeeping only: the session works offline with its local id.
      parts.server.startGuest().catch((err: Error) => log.info('guest session not registered with the server', { error: err.message }));
    }
    return flow.current;
  });
  core.handle('session.finish', () => {
    flow.send('finish');
    return flow.current;
  });
  core.handle('session.cancel', () => {
    flow.send('cancel');
    return flow.current;
  });
  return flow;
}
