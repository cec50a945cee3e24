/** The session commands: start (guest or QR), finish, cancel. */
import { CommandError } from '../core/kiosk-core.js';
import { SessionFlow } from '../session/session-flow.js';
import type { CreditStore, ItemClassifier, MachinePort, SessionServer } from '../session/ports.js';
import type { KioskContext } from './context.js';

export interface SessionParts {
  machine: MachinePort;
  classifier: ItemClassifier;
  credits: CreditStore;
  server: SessionServer;
}

export async function setupSession({ core, status }: KioskContext, _parts: SessionParts): Promise<SessionFlow> {
  const flow = new SessionFlow((state) => core.emit('session.state', state));
  core.emit('session.state', flow.current);
  core.onDispose(() => flow.dispose());

  core.handle('session.start', (request) => {
    if (status.state === 'out_of_service' || status.state === 'maintenance') {
      throw new CommandError('machine is not taking items right now');
    }
    flow.send(request.mode === 'guest' ? 'start_guest' : 'start_qr');
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
