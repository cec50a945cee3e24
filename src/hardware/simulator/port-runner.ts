/**
 * Keeps the simulator attached to a serial port path (a pty end or a real adapter), reopening it when it
 * vanishes — as both pty ends do while socat restarts.
 */
import { createLogger } from '../../log/logger.js';
import { LinkKeeper } from '../transport/link-keeper.js';
import type { LinkOpener } from '../transport/link.js';
import { DEFAULT_SERIAL, openSerialLink, type SerialSettings } from '../transport/serial-link.js';
import type { ControllerSimulator } from './controller-simulator.js';

const log = createLogger('hardware-sim');

export interface RunningSimulator {
  stop(): Promise<void>;
}

export function keepSimulatorAttached(sim: ControllerSimulator, open: LinkOpener): RunningSimulator {
  const keeper = new LinkKeeper(open, { firstMs: 50, factor: 2, maxMs: 1000, jitter: false }, {
    up: (link) => {
      sim.attach(link);
      log.info('simulator attached', { port: link.description });
    },
    down: (error) => {
      sim.detach();
      log.info('simulator port closed', { error: error.message });
    },
    attemptFailed: (error, attempt) => attempt === 1 && log.info('simulator waiting for its port', { error: error.message }),
  });
  keeper.start();
  return { stop: () => keeper.stop() };
}

export function runSimulatorOnPort(sim: ControllerSimulator, path: string, settings: SerialSettings = DEFAULT_SERIAL): RunningSimulator {
  return keepSimulatorAttached(sim, () => openSerialLink(path, settings));
}
