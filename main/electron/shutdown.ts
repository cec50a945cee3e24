/**
 * Orderly exit: close the core (serial port, outbox journal, server link) before the process goes, on a normal
 * quit and on SIGTERM from systemd. A core that hangs while closing is cut off so the kiosk can restart.
 */
import { app } from 'electron';
import type { KioskCore } from '../../src/core/kiosk-core.js';
import { createLogger } from '../../src/log/logger.js';

const log = createLogger('electron.shutdown');

export function disposeOnQuit(core: Pick<KioskCore, 'dispose'>, timeoutMs = 5_000): void {
  let closing = false;
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    void Promise.race([core.dispose(), timeout])
      .catch((err: unknown) => log.error('core did not close cleanly', { error: String(err) }))
      .finally(() => app.exit(0));
  });
  process.once('SIGTERM', () => app.quit());
}
