/**
 * Machine controller link. In the demo (hardware.mode = simulator) the controller simulator runs on one end
 * of a socat pseudo-terminal and the driver opens the other with the real serialport binding; in `serial`
 * mode the driver opens the configured port. Either way the rest of the kiosk gets a MachinePort, the
 * hardware.* commands and events, bin levels on the bus, and link/fault reasons on the status board. A full
 * or faulty bin refuses only its material (status.availability, published as `system.status` materials) and
 * leaves a notice naming the bin for technicians (`bin_full`, `bin_fault`); it does not stop the machine.
 */
import type { BinLevels } from '../domain/events.js';
import type { Bin } from '../domain/ports.js';
import { createDriver, serialOpener } from '../hardware/create-driver.js';
import { HardwareMonitor } from '../hardware/hardware-monitor.js';
import { createMachinePort } from '../hardware/machine-port.js';
import { MotorDelay } from '../hardware/motor-delay.js';
import { startSimulatedMachine } from '../hardware/simulator/simulated-machine.js';
import type { MachinePort, MachineTracking } from '../domain/ports.js';
import type { KioskContext } from './context.js';
import { registerHardwareCommands } from './hardware-commands.js';

/** The machine for the session flow (and its item custody), plus the knobs the server's policy turns. */
export interface MachineHandle extends MachinePort, MachineTracking {
  setBinFullPercent(percent: number): void;
  /** Handshake `policy.motor_speed_delay` in seconds, to the controller (SET, protocol 2; see MotorDelay). */
  setMotorDelay(seconds: number): Promise<void>;
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
        status.availability.setBinLevels(levels);
        noteFullBins(status, levels);
      },
      onBinReport: (bin, level) => status.availability.binReported(bin, level),
      onBinFaults: (bins) => {
        status.availability.setFaultyBins(bins);
        if (bins.length > 0) status.notice('bin_fault', `controller fault on the ${bins.join(', ')} bin${bins.length > 1 ? 's' : ''}`);
        else status.clearNotice('bin_fault');
      },
      alarms: status,
    },
    { binFullPercent: config.binFullPercent, simulated: machine !== null },
  );
  registerHardwareCommands(core, { driver, monitor, config, simulator: machine?.simulator ?? null });
  if (machine?.notice) status.notice('hardware_in_process', machine.notice);

  const motorDelay = new MotorDelay(driver);
  core.onDispose(async () => {
    motorDelay.dispose();
    monitor.dispose();
    await driver.stop();
    await machine?.stop();
  });
  const port = createMachinePort(driver);
  reportIntake(core, port);
  driver.start();
  await driver.waitConnected(config.startupWaitMs);
  return Object.assign(port, { setBinFullPercent: (percent: number) => monitor.setBinFullPercent(percent), setMotorDelay: (seconds: number) => motorDelay.set(seconds) });
}

/** For technicians: which bins are full, at what level (the recycler sees the refused material instead). */
function noteFullBins(status: KioskContext['status'], levels: BinLevels): void {
  const full = (Object.entries(levels.bins) as Array<[Bin, BinLevels['bins'][Bin]]>).filter(([, level]) => level.full);
  if (full.length > 0) status.notice('bin_full', full.map(([bin, level]) => `${bin} ${Math.round(level.percent)}%`).join(', '));
  else status.clearNotice('bin_full');
}

/** The intake beam as a UI event (`hardware.intake`): unknown until the controller first reports it. */
function reportIntake(core: KioskContext['core'], port: MachinePort): void {
  core.emit('hardware.intake', { present: null });
  const offs = [port.on('itemPresent', () => core.emit('hardware.intake', { present: true })), port.on('itemRemoved', () => core.emit('hardware.intake', { present: false }))];
  core.onDispose(() => offs.forEach((off) => off()));
}
