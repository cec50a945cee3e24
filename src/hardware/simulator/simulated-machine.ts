/**
 * The demo's machine: the controller simulator on one end of a socat pseudo-terminal, and an opener for the
 * driver's end, so the demo runs the real serial stack. Where socat is missing (or cannot make a pty), it
 * falls back to an in-process link and returns a notice saying so, for the status screen.
 */
import { createLogger } from '../../log/logger.js';
import type { HardwareConfig } from '../config.js';
import type { LinkOpener, TransportKind } from '../transport/link.js';
import { createMemoryPair } from '../transport/memory-link.js';
import { openSerialLink, type SerialSettings } from '../transport/serial-link.js';
import { socatAvailable, SocatPtyPair } from '../transport/socat-pty.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from './controller-simulator.js';
import { runSimulatorOnPort, type RunningSimulator } from './port-runner.js';
import { INSTANT_TIMINGS, REALISTIC_TIMINGS } from './sim-settings.js';

const log = createLogger('hardware-sim');

export interface SimulatedMachine {
  simulator: ControllerSimulator;
  open: LinkOpener;
  transport: Exclude<TransportKind, 'serial'>;
  /** Why the pty is not used, when it is not. */
  notice: string | null;
  /** The socat pair when the machine runs on a pseudo-terminal (its folder, socat's pid). */
  pty: SocatPtyPair | null;
  stop(): Promise<void>;
}

export async function startSimulatedMachine(config: HardwareConfig): Promise<SimulatedMachine> {
  const simulator = new ControllerSimulator({
    ...DEFAULT_SIMULATOR_OPTIONS,
    dialect: config.dialect,
    heartbeatMs: config.heartbeatMs,
    hostDeadAfterMs: config.deadAfterMs,
    timings: config.simulator.timings === 'instant' ? INSTANT_TIMINGS : REALISTIC_TIMINGS,
    belt: config.simulator.belt,
  });
  const wanted = config.simulator.transport;
  let notice: string | null = null;
  if (wanted !== 'in-process') {
    if (socatAvailable()) {
      try {
        return await onPty(simulator, config.serial);
      } catch (err) {
        if (wanted === 'pty') throw err;
        notice = `socat could not create a pseudo-terminal (${err instanceof Error ? err.message : String(err)}); the simulated machine runs in-process`;
      }
    } else if (wanted === 'pty') {
      throw new Error('hardware.simulator.transport is "pty" but socat is not installed (apt-get install socat)');
    } else {
      notice = 'socat is not installed: the simulated machine runs in-process, not over a serial pseudo-terminal';
    }
  }
  if (notice) log.warn(notice);
  return {
    simulator,
    transport: 'in-process',
    notice,
    pty: null,
    open: async () => {
      const { host, device } = createMemoryPair();
      simulator.attach(device);
      return host;
    },
    stop: async () => simulator.stop(),
  };
}

async function onPty(simulator: ControllerSimulator, settings: SerialSettings): Promise<SimulatedMachine> {
  // socat and its folder are cleaned up on every exit path, kill -9 included (see socat-pty.ts).
  const pair = await SocatPtyPair.create();
  let stopping = false;
  pair.onUnexpectedExit((code) => {
    if (stopping) return;
    log.warn('socat exited; restarting the pty pair', { code });
    setTimeout(() => {
      if (!stopping) void pair.start().catch((err) => log.error('cannot restart socat', { error: String(err) }));
    }, 500).unref();
  });
  const running: RunningSimulator = runSimulatorOnPort(simulator, pair.devicePath, settings);
  log.info('simulated machine on a pseudo-terminal', { host: pair.hostPath, controller: pair.devicePath });
  return {
    simulator,
    transport: 'pty',
    notice: null,
    pty: pair,
    open: () => openSerialLink(pair.hostPath, settings),
    stop: async () => {
      stopping = true;
      simulator.stop();
      await running.stop();
      await pair.dispose();
    },
  };
}
