/**
 * Machine controller link. In the demo (hardware.mode = simulator) the controller simulator runs on one end
 * of a socat pseudo-terminal and the driver opens the other with the real serialport binding; in `serial`
 * mode the driver opens the configured port. Either way the rest of the kiosk gets a MachinePort, the
 * hardware.* commands and events, bin levels on the bus, and link/bin/fault reasons on the status board.
 */
import { createDriver, serialOpener } from '../hardware/create-driver.js';
import { HardwareMonitor } from '../hardware/hardware-monitor.js';
import { createMachinePort } from '../hardware/machine-port.js';
import { startSimulatedMachine } from '../hardware/simulator/simulated-machine.js';
import type { MachinePort, MachineTracking } from '../domain/ports.js';
import type { KioskContext } from './context.js';
import { registerHardwareCommands } from './hardware-commands.js';

/** The machine for the session flow (and its item custody), plus the one knob the server's policy turns. */
export interface MachineHandle extends MachinePort, MachineTracking {
  setBinFullPercent(percent: number): void;
}

export async function setupHardware(ctx: KioskContext): Promise<MachineHandle> {
  const { core, bus, status } = ctx;
  const config = ctx.config.hardware;
  const machine = config.mode === 'simulator' ? await startSimulatedMachine(config) : null;
  const driver = machine ? createDriver(config, machine.open, machine.transport) : createDriver(config, serialOpener(config), 'serial');
  const monitor = new HardwareMonitor(
    driver,
    {
      onLink: (payload) => core.emit('hardware.state', payload),
      onBins: (levels) => {
        core.emit('hardware.bins', levels);
        bus.emit('machine.bins', levels);
      },
      alarms: status,
    },
    { binFullPercent: config.binFullPercent, simulated: machine !== null },
  );
  registerHardwareCommands(core, { driver, monitor, config, simulator: machine?.simulator ?? null });
  if (machine?.notice) status.notice('hardware_in_process', machine.notice);

  core.onDispose(async () => {
    monitor.dispose();
    await driver.stop();
    await machine?.stop();
  });
  driver.start();
  await driver.waitConnected(config.startupWaitMs);
  return Object.assign(createMachinePort(driver), { setBinFullPercent: (percent: number) => monitor.setBinFullPercent(percent) });
}
