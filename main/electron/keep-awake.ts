/**
 * Keeps the display on. The desktop's own blanking must be switched off too (docs/deployment.md): the blocker
 * only covers the power manager that Chromium talks to.
 */
import { powerSaveBlocker } from 'electron';
import { createLogger } from '../../src/log/logger.js';

const log = createLogger('electron.power');

export function keepDisplayAwake(): () => void {
  const id = powerSaveBlocker.start('prevent-display-sleep');
  log.info('display sleep blocked', { blockerId: id });
  return () => {
    if (powerSaveBlocker.isStarted(id)) powerSaveBlocker.stop(id);
  };
}
