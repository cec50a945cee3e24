/**
 * The controller's serial port: present, usable by this user (the dialout group), and a controller on it that
 * answers a ping. In simulator mode the simulated machine is started on a socat pseudo-terminal (as the demo
 * does) and pinged over the real serial stack.
 */
import { constants, existsSync, readFileSync, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import os from 'node:os';
import type { HardwareConfig } from '../../hardware/config.js';
import { createDriver, serialOpener } from '../../hardware/create-driver.js';
import type { MachineDriver } from '../../hardware/driver/machine-driver.js';
import { startSimulatedMachine, type SimulatedMachine } from '../../hardware/simulator/simulated-machine.js';
import { describeSelector, resolvePortPath } from '../../hardware/transport/port-resolver.js';
import { errorText, fail, ok, skip, warn, type CheckResult, type DoctorContext } from './types.js';

const PORT = { id: 'serial-port', title: 'serial port' } as const;
const PING = { id: 'controller', title: 'controller ping' } as const;
export const DIALOUT_FIX = 'add the user to dialout: sudo usermod -aG dialout $USER (then log out and in again)';
const BUSY_FIX = 'the port is in use, probably by the running kiosk: systemctl --user stop rvm-kiosk, run the doctor, then systemctl --user start rvm-kiosk';

/** Whether this process may open the device read-write (injectable: tests run as root, where access() always agrees). */
export type CanOpen = (path: string) => Promise<boolean>;
const canOpenForReadWrite: CanOpen = (path) => access(path, constants.R_OK | constants.W_OK).then(() => true, () => false);

export async function checkSerial({ config }: DoctorContext, canOpen: CanOpen = canOpenForReadWrite): Promise<CheckResult[]> {
  const hw = config.hardware;
  if (hw.mode === 'simulator') return simulated(hw);
  const port = await checkSerialPort(hw, canOpen);
  if (!port.path) return [port.row, skip(PING.id, PING.title, port.denied ? 'port not permitted' : 'no port')];
  const driver = createDriver(hw, serialOpener(hw), 'serial');
  return [port.row, await ping(driver, hw, null)];
}

/**
 * The port alone — resolved, present, permitted — without opening it: what the cannot-start screen can check
 * while a half-started kiosk may still hold the port. `path` is set only when the port is fine.
 */
export async function checkSerialPort(hw: HardwareConfig, canOpen: CanOpen = canOpenForReadWrite): Promise<{ row: CheckResult; path: string | null; denied?: true }> {
  if (hw.mode === 'simulator') return { row: ok(PORT.id, PORT.title, 'simulated controller: no serial port needed'), path: null };
  let path: string;
  try {
    path = await resolvePortPath(hw.serial);
  } catch (err) {
    return { row: fail(PORT.id, PORT.title, `${describeSelector(hw.serial)}: ${errorText(err)}`, 'plug in the controller\'s USB adapter and set hardware.serial (ls -l /dev/serial/by-id shows the names)'), path: null };
  }
  if (!existsSync(path)) {
    return {
      row: fail(PORT.id, PORT.title, `${path} is not present`, 'plug in the controller\'s USB adapter, check the cable, and check hardware.serial against ls -l /dev/serial/by-id (or install deploy/99-rvm-controller.rules for /dev/rvm-controller)'),
      path: null,
    };
  }
  if (!(await canOpen(path))) {
    const group = groupName(statSync(path).gid);
    return {
      row: fail(PORT.id, PORT.title, `${path} is present but ${os.userInfo().username} may not open it (owned by group ${group})`, group === 'dialout' ? DIALOUT_FIX : `${DIALOUT_FIX}; this device belongs to group ${group}, so check the udev rule (deploy/99-rvm-controller.rules sets GROUP="dialout")`),
      path: null,
      denied: true,
    };
  }
  return { row: ok(PORT.id, PORT.title, `${path}${path === hw.serial.path ? '' : ` (${describeSelector(hw.serial)})`}, read/write permitted`), path };
}

async function simulated(hw: HardwareConfig): Promise<CheckResult[]> {
  let machine: SimulatedMachine;
  try {
    machine = await startSimulatedMachine({ ...hw, simulator: { ...hw.simulator, timings: 'instant' } });
  } catch (err) {
    return [fail(PORT.id, PORT.title, `simulated machine did not start: ${errorText(err)}`, 'apt-get install socat, or set hardware.simulator.transport to "auto"'), skip(PING.id, PING.title, 'no port')];
  }
  const portRow = machine.notice
    ? warn(PORT.id, PORT.title, `simulator, in-process: ${machine.notice}`, 'apt-get install socat to run the simulator over a pseudo-terminal')
    : ok(PORT.id, PORT.title, `simulator on a socat pseudo-terminal (${machine.transport})`);
  const driver = createDriver(hw, machine.open, machine.transport);
  try {
    return [portRow, await ping(driver, hw, 'simulated controller')];
  } finally {
    await machine.stop();
  }
}

async function ping(driver: MachineDriver, hw: HardwareConfig, label: string | null): Promise<CheckResult> {
  driver.start();
  try {
    const connected = await driver.waitConnected(Math.max(hw.startupWaitMs, 1000));
    if (!connected) {
      const error = driver.state.lastError ?? 'the port did not open';
      const busy = /lock|busy|resource temporarily unavailable/i.test(error);
      return fail(PING.id, PING.title, `could not open the port: ${error}`, busy ? BUSY_FIX : 'check the adapter, the cable and hardware.serial');
    }
    const started = performance.now();
    try {
      await driver.send({ op: 'ping' }, { retries: 1 });
    } catch (err) {
      return fail(
        PING.id,
        PING.title,
        `no answer to PING on ${driver.state.port ?? 'the port'}: ${errorText(err)}`,
        `check that the controller is powered and runs our firmware, and that hardware.dialect ("${hw.dialect}") and hardware.serial.baudRate (${hw.serial.baudRate}) match it`,
      );
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const firmware = driver.state.firmware ? `, firmware ${driver.state.firmware}` : '';
    return ok(PING.id, PING.title, `${label ?? 'controller'} answered PING in ${ms} ms (${hw.dialect}${firmware})`, ms);
  } finally {
    await driver.stop();
  }
}

function groupName(gid: number): string {
  try {
    const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid));
    return line?.split(':')[0] ?? String(gid);
  } catch {
    return String(gid);
  }
}
