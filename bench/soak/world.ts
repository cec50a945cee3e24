/**
 * What outlives the kiosk core in the soak, as real hardware and a real server would: the controller
 * simulator on one end of a socat pty (the core opens the other end), and the MyRVM server simulator on
 * loopback with its Pusher server. Also the kiosk configuration that points a core at both.
 */
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort, type RunningSimulator } from '../../src/hardware/simulator/port-runner.js';
import { INSTANT_TIMINGS, type SimTimings } from '../../src/hardware/simulator/sim-settings.js';
import { SocatPtyPair } from '../../src/hardware/transport/socat-pty.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';

/**
 * Fast mechanics, so 2,000 items fit in a run, but not instant: a move lasts long enough for a kill, an
 * unplug or a pulled-back item to land in the middle of it.
 */
export const SOAK_TIMINGS: SimTimings = { ...INSTANT_TIMINGS, settleMs: 20, gateMs: 30, transferMs: 30, conveyorMs: 150, tareMs: 20 };

export interface World {
  pair: SocatPtyPair;
  sim: ControllerSimulator;
  server: ServerSimulator;
  stop(): Promise<void>;
}

export async function startWorld(belt = 3): Promise<World> {
  const pair = await SocatPtyPair.create('rvm-soak-pty-');
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, heartbeatMs: 200, dropResendMs: 200, timings: SOAK_TIMINGS, belt });
  const running: RunningSimulator = runSimulatorOnPort(sim, pair.devicePath);
  // The design's default threshold (0.75) refuses the demo photos; 0.4 is the demo model's own.
  const server = await startServerSimulator({ realtime: true, confidenceThreshold: 0.4 });
  return {
    pair,
    sim,
    server,
    async stop() {
      sim.stop();
      await running.stop();
      await pair.dispose();
      await server.close();
    },
  };
}

export interface CoreSettings {
  dataDir: string;
  /** Below this many free bytes in the data folder the outbox takes the kiosk out of service. */
  minFreeBytes: number;
}

/** The kiosk configuration of every core: serial on the pty, remote server = the simulator, fast retries. */
export function coreConfig(world: World, settings: CoreSettings): Record<string, unknown> {
  const { server } = world;
  return {
    machineName: 'Soak',
    dataDir: settings.dataDir,
    session: { activeIdleMs: 600_000, finishedMs: 200, waitingLoginMs: 600_000 },
    hardware: { mode: 'serial', serial: { path: world.pair.hostPath }, heartbeatMs: 200, deadAfterMs: 1_500, startupWaitMs: 5_000, reconnect: { initialMs: 50, maxMs: 400 } },
    // Real inference on the shipped model; the photo for each item is chosen by the soak (detection.selectPhoto).
    detection: { settleMs: 0, threads: 1, modelSync: { enabled: false, retryMinutes: 5, maxBytes: 1024 * 1024 } },
    server: {
      mode: 'remote',
      url: server.url,
      credentials: server.credentials,
      heartbeatMinMs: 5_000,
      heartbeatMaxMs: 8_000,
      configPollMs: 5_000,
      requestTimeoutMs: 3_000,
      handshakeFirstDelayMs: 100,
      handshakeCapMs: 2_000,
      retry: { attempts: 2, factor: 2, firstDelayMs: 100, capMs: 1_000 },
      realtime: { appKey: server.pusherAppKey ?? '', host: '127.0.0.1', port: server.port, scheme: 'ws', reconnectFirstDelayMs: 100, reconnectCapMs: 1_000 },
    },
    outbox: { flushDelayMs: 0, backoff: { firstMs: 200, factor: 2, maxMs: 2_000 }, minFreeBytes: settings.minFreeBytes },
  };
}
