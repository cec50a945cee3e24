/**
 * A controller that outlives the kiosk: the simulator on one end of a socat pty, owned by the test, and a
 * "mini kiosk" — the real setupOutbox, setupHardware (serial mode on the pty's other end) and setupSession
 * of src/app, with a classifier that judges by weight — that can be started, dropped and started again over
 * the same data folder. Used by the custody integration tests and by the kill -9 test's child.
 */
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { setupHardware } from '../../src/app/setup-hardware.js';
import { setupOutbox } from '../../src/app/setup-outbox.js';
import { setupSession } from '../../src/app/setup-session.js';
import type { Classification, ItemClassifier, WeightReading } from '../../src/domain/ports.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS, type SimulatorOptions } from '../../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort, type RunningSimulator } from '../../src/hardware/simulator/port-runner.js';
import { INSTANT_TIMINGS, type SimTimings } from '../../src/hardware/simulator/sim-settings.js';
import { SocatPtyPair } from '../../src/hardware/transport/socat-pty.js';
import type { SessionFlow } from '../../src/session/session-flow.js';
import { testContext } from '../helpers/context.js';
import { FakeServer } from '../helpers/fake-ports.js';

/** Fast, but not instant: a move takes long enough for something to happen in the middle of it. */
export const RIG_TIMINGS: SimTimings = { ...INSTANT_TIMINGS, settleMs: 20, gateMs: 30, conveyorMs: 250 };

export interface ControllerRig {
  pair: SocatPtyPair;
  sim: ControllerSimulator;
  stop(): Promise<void>;
}

export async function startControllerRig(timings: Partial<SimTimings> = {}, options: Partial<SimulatorOptions> = {}): Promise<ControllerRig> {
  // A prefix no data folder shares: stale pty folders are swept by prefix (socat-pty.ts).
  const pair = await SocatPtyPair.create('rvm-cpty-');
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, heartbeatMs: 100, dropResendMs: 100, timings: { ...RIG_TIMINGS, ...timings }, ...options });
  const running: RunningSimulator = runSimulatorOnPort(sim, pair.devicePath);
  return {
    pair,
    sim,
    async stop() {
      sim.stop();
      await running.stop();
      await pair.dispose();
    },
  };
}

/**
 * Judges by the load cell: about 24 g is PET, 14 g a can, 230 g glass; anything else is refused. The
 * simulated load cell creeps a little with every drop (that is what TARE is for), hence the tolerance.
 */
export class WeightClassifier implements ItemClassifier {
  constructor(private readonly image?: Buffer) {}

  async classify(weight?: WeightReading): Promise<Classification> {
    const w = (await weight) ?? -1;
    const image = this.image ? { image: this.image } : {};
    if (w > 8 && w <= 19) return { accepted: true, material: 'can', confidence: 0.9, detections: [], ...image };
    if (w > 19 && w <= 45) return { accepted: true, material: 'pet', confidence: 0.93, detections: [], ...image };
    if (w > 180 && w <= 280) return { accepted: true, material: 'glass', confidence: 0.88, detections: [], ...image };
    return { accepted: false, reason: 'not_a_container', confidence: 0.2, detections: [] };
  }
}

export interface MiniKiosk {
  ctx: KioskContext;
  outbox: Outbox;
  flow: SessionFlow;
  /** Ids of the credits the outbox holds (pending or parked), in recording order. */
  creditIds(): string[];
  stop(): Promise<void>;
}

export interface MiniKioskOptions {
  dataDir: string;
  ptyPath: string;
  classifier?: ItemClassifier;
  /** Start a guest session once up (default true). */
  startSession?: boolean;
  outbox?: Record<string, unknown>;
  /** How long the pipeline waits for a drop before asking the controller. */
  dropTimeoutMs?: number;
  /** Overrides of the hardware section (e.g. a short queueWaitMs for link-loss tests). */
  hardware?: Record<string, unknown>;
}

export async function startMiniKiosk(options: MiniKioskOptions): Promise<MiniKiosk> {
  const config = kioskConfig.parse({
    dataDir: options.dataDir,
    hardware: {
      mode: 'serial',
      serial: { path: options.ptyPath },
      heartbeatMs: 100,
      deadAfterMs: 1000,
      startupWaitMs: 5000,
      reconnect: { initialMs: 50, maxMs: 200 },
      ...options.hardware,
    },
    session: { activeIdleMs: 600_000 },
    outbox: { flushDelayMs: 0, ...options.outbox },
  });
  const ctx = testContext(config, { demoMode: false });
  const outbox = await setupOutbox(ctx);
  const machine = await setupHardware(ctx);
  const flow = await setupSession(ctx, { machine, classifier: options.classifier ?? new WeightClassifier(), credits: outbox, server: new FakeServer() }, options.dropTimeoutMs === undefined ? {} : { dropTimeoutMs: options.dropTimeoutMs });
  ctx.status.markStarted();
  if (options.startSession !== false) await ctx.core.call('session.start', { mode: 'guest' });
  return {
    ctx,
    outbox,
    flow,
    creditIds: () => outbox.preview({ limit: 10_000 }).records.map((r) => r.id),
    stop: () => ctx.core.dispose(),
  };
}
