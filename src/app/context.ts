import type { KioskConfig } from './config-schema.js';
import type { KioskCore } from '../core/kiosk-core.js';
import type { EventBus } from '../core/event-bus.js';
import type { KioskEvents } from '../domain/events.js';
import type { SecretStore } from '../storage/secret-store.js';
import type { StatusBoard } from './status-board.js';

/**
 * What every setupX() receives: the core to register UI commands and emit UI events on, the in-process bus
 * for signals between features, the config, and the status board.
 */
export interface KioskContext {
  core: KioskCore;
  bus: EventBus<KioskEvents>;
  config: KioskConfig;
  status: StatusBoard;
  /** True when nothing real is configured: simulators for machine and server, demo model and images. */
  demoMode: boolean;
  /** How the kiosk's own secrets rest (the host's choice: safeStorage under Electron); absent: 0600 files. */
  secrets?: SecretStore;
}
