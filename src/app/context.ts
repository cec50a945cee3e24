import type { KioskConfig } from '../config/schema.js';
import type { KioskCore } from '../core/kiosk-core.js';
import type { StatusBoard } from './status-board.js';

/** What every setupX() receives: the core to register handlers on, the config, and the status board. */
export interface KioskContext {
  core: KioskCore;
  config: KioskConfig;
  status: StatusBoard;
  /** True when nothing real is configured: simulators for machine and server, demo model and images. */
  demoMode: boolean;
}
