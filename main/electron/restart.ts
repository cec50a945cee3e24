/**
 * Restarting the whole app. Under systemd (which sets INVOCATION_ID) we just exit and let `Restart=always`
 * start us again: a child started by app.relaunch() would be killed with our cgroup anyway. Elsewhere
 * Electron relaunches us itself once this instance has exited.
 */
import { app } from 'electron';
import { createLogger } from '../../src/log/logger.js';

const log = createLogger('electron.restart');

export function restartApp(reason: string, env: NodeJS.ProcessEnv = process.env): void {
  const underSystemd = Boolean(env.INVOCATION_ID);
  log.warn('restarting the kiosk', { reason, via: underSystemd ? 'systemd' : 'app.relaunch' });
  if (!underSystemd) app.relaunch();
  app.exit(underSystemd ? 75 : 0);
}
