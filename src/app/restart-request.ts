/**
 * The server's RESTART command (delivered once by the heartbeat or realtime) restarts the kiosk — but never
 * under a recycler's hands: it waits until the session is idle. The host decides what "restart" means
 * (Electron relaunches; the browser host exits for systemd to start it again).
 */
import type { KioskCore } from '../core/kiosk-core.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('app.restart');

export function onRestartRequested(core: KioskCore, restart: (reason: string) => void): () => void {
  let pending = false;
  const idle = () => (core.current('session.state')?.phase ?? 'idle') === 'idle';
  const fire = () => {
    pending = false;
    restart('RESTART command from the server');
  };
  return core.subscribe((name, payload) => {
    if (name === 'server.command') {
      const command = (payload as { command: string }).command;
      if (command === 'GIT_PULL') log.info('update check requested by the server; updates ship as a new AppImage (docs/deployment.md)');
      if (command !== 'RESTART' || pending) return;
      pending = true;
      if (idle()) fire();
      else log.info('restart requested; waiting for the current session to end');
    } else if (name === 'session.state' && pending && idle()) {
      fire();
    }
  });
}
