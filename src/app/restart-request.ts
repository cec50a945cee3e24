/**
 * The server's RESTART command (delivered once by the heartbeat or realtime) restarts the kiosk — but never
 * under a recycler's hands: it waits until the session is idle. The host decides what "restart" means
 * (Electron relaunches; the browser host exits for systemd to start it again).
 */
import type { BusSubscriber } from '../core/event-bus.js';
import type { KioskEvents } from '../domain/events.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('app.restart');

export function onRestartRequested({ bus }: { bus: BusSubscriber<KioskEvents> }, restart: (reason: string) => void): () => void {
  let pending = false;
  let idle = true;
  const fire = () => {
    pending = false;
    restart('RESTART command from the server');
  };
  const offCommand = bus.on('server.command', ({ command }) => {
    if (command === 'GIT_PULL') log.info('update check requested by the server; updates ship as a new AppImage (docs/deployment.md)');
    if (command !== 'RESTART' || pending) return;
    pending = true;
    if (idle) fire();
    else log.info('restart requested; waiting for the current session to end');
  });
  const offPhase = bus.on('session.phase', ({ phase }) => {
    idle = phase === 'idle';
    if (pending && idle) fire();
  });
  return () => {
    offCommand();
    offPhase();
  };
}
