/**
 * The integration rig: socat pty pair, the simulator on the controller end (real serialport binding), the
 * driver on the host end, and a kiosk core with the hardware monitor and hardware.* commands around it —
 * the same parts setupHardware wires, but with the pair in the test's hands so it can kill socat.
 */
import { StatusBoard } from '../../src/app/status-board.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { hardwareConfig } from '../../src/hardware/config.js';
import { MachineDriver, type DriverOptions } from '../../src/hardware/driver/machine-driver.js';
import { registerHardwareCommands } from '../../src/app/hardware-commands.js';
import { HardwareMonitor } from '../../src/hardware/hardware-monitor.js';
import { hostDialect, type DialectName } from '../../src/hardware/protocol/index.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort, type RunningSimulator } from '../../src/hardware/simulator/port-runner.js';
import { INSTANT_TIMINGS } from '../../src/hardware/simulator/sim-settings.js';
import { openSerialLink } from '../../src/hardware/transport/serial-link.js';
import { SocatPtyPair } from '../../src/hardware/transport/socat-pty.js';
import type { EventName } from '../../src/contract/index.js';
import { fastDriverOptions } from './fixtures.js';

export interface PtyRig {
  pair: SocatPtyPair;
  sim: ControllerSimulator;
  driver: MachineDriver;
  core: KioskCore;
  status: StatusBoard;
  events: Array<{ name: EventName; payload: unknown }>;
  stop(): Promise<void>;
}

export async function startPtyRig(dialect: DialectName = 'rvm1', overrides: Partial<DriverOptions> = {}): Promise<PtyRig> {
  const pair = await SocatPtyPair.create('rvm-test-pty-');
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, dialect, heartbeatMs: 100, timings: INSTANT_TIMINGS });
  const running: RunningSimulator = runSimulatorOnPort(sim, pair.devicePath);
  const driver = new MachineDriver(
    fastDriverOptions(() => openSerialLink(pair.hostPath), { dialect: hostDialect(dialect), transport: 'pty', heartbeatMs: 100, deadAfterMs: 1500, ...overrides }),
  );
  const core = new KioskCore();
  const events: PtyRig['events'] = [];
  core.subscribe((name, payload) => events.push({ name, payload }));
  const status = new StatusBoard(core, 'test', true);
  status.markStarted();
  const config = hardwareConfig.parse({ dialect, testPulseMs: 0 });
  const monitor = new HardwareMonitor(
    driver,
    {
      onLink: (payload) => core.emit('hardware.state', payload),
      // As setupHardware does: bin levels feed per-material availability, not an out-of-service alarm.
      onBins: (levels) => {
        core.emit('hardware.bins', levels);
        status.availability.setBinLevels(levels);
      },
      onBinReport: (bin, level) => status.availability.binReported(bin, level),
      onBinFaults: (bins) => status.availability.setFaultyBins(bins),
      alarms: status,
    },
    { binFullPercent: config.binFullPercent, simulated: true },
  );
  registerHardwareCommands(core, { driver, monitor, config, simulator: sim });
  driver.start();
  if (!(await driver.waitConnected(5000))) throw new Error('driver did not connect over the pty');
  return {
    pair,
    sim,
    driver,
    core,
    status,
    events,
    async stop() {
      monitor.dispose();
      await driver.stop();
      sim.stop();
      await running.stop();
      await pair.dispose();
      await core.dispose();
    },
  };
}
