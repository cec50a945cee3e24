/**
 * The hardware.* contract commands, registered by the composition layer on the hardware feature's parts.
 * The simulate* ones need the built-in simulator and say so otherwise.
 */
import { CommandError, type KioskCore } from '../core/kiosk-core.js';
import type { HardwareConfig } from '../hardware/config.js';
import type { MachineDriver } from '../hardware/driver/machine-driver.js';
import type { HardwareMonitor } from '../hardware/hardware-monitor.js';
import { runHardwareTest } from '../hardware/hardware-tests.js';
import type { ControllerSimulator } from '../hardware/simulator/controller-simulator.js';
import { InsertRefused } from '../hardware/simulator/machine-model.js';

export interface HardwareParts {
  driver: MachineDriver;
  monitor: HardwareMonitor;
  config: HardwareConfig;
  /** Present only when hardware.mode is `simulator`. */
  simulator: ControllerSimulator | null;
}

export function registerHardwareCommands(core: KioskCore, { driver, monitor, config, simulator }: HardwareParts): void {
  const needSimulator = (command: string): ControllerSimulator => {
    if (simulator) return simulator;
    throw new CommandError('simulator_only', `${command} only works with the built-in simulator (hardware.mode is "${config.mode}")`);
  };

  core.handle('hardware.status', () => {
    const picture = monitor.picture;
    return {
      link: monitor.linkPayload(),
      bins: monitor.binsPayload(),
      door: picture.door,
      temperatureC: picture.temperatureC,
      weightGrams: picture.weightGrams,
      itemPresent: picture.itemPresent,
      faults: [...picture.faults],
    };
  });

  core.handle('hardware.test', (request) => runHardwareTest(driver, request.action, config.testPulseMs));

  core.handle('hardware.simulateInsert', (request) => {
    const sim = needSimulator('hardware.simulateInsert');
    try {
      const item = sim.model.insertItem(request.kind, request.weightGrams);
      return { kind: item.kind, weightGrams: item.weightGrams, volumeMl: item.volumeMl };
    } catch (err) {
      if (err instanceof InsertRefused) throw new CommandError('intake_busy', `cannot insert: ${err.message}`);
      throw err;
    }
  });

  core.handle('hardware.simulateFault', (request) => {
    const sim = needSimulator('hardware.simulateFault');
    const fault = request.fault;
    const active = request.active ?? true;
    switch (fault) {
      case 'bin_full': sim.model.setBinPercent(request.bin ?? 'plastic', active ? 100 : 0); break;
      // Silent for twice the dead-link limit, so the driver notices and reconnects.
      case 'link_drop': sim.dropLink(active ? config.deadAfterMs * 2 : 0); break;
      case 'garbage': if (active) sim.sendGarbage(256); break;
      default: sim.model.setFault(fault, active);
    }
    return { fault, active };
  });
}
