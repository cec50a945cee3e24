/**
 * The setup screen's serial step: the ports worth offering (stable /dev/serial/by-id names first, then the
 * usual USB adapters, then configured extras such as a simulator's pseudo-terminal) and a live ping of the one
 * the installer picks, over the same driver and transport the kiosk uses.
 */
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { SerialPing } from '../../contract/setup.js';
import type { HardwareConfig } from '../../hardware/config.js';
import { createDriver, serialOpener } from '../../hardware/create-driver.js';

export type PingCode = z.infer<typeof SerialPing>;
export interface SerialPortEntry {
  path: string;
  byId: boolean;
}

const BY_ID = '/dev/serial/by-id';

async function names(dir: string): Promise<string[]> {
  return readdir(dir).then(
    (entries) => entries.sort(),
    () => [],
  );
}

export async function listSerialPorts(extra: readonly string[], roots = { byId: BY_ID, dev: '/dev' }): Promise<SerialPortEntry[]> {
  const ports: SerialPortEntry[] = (await names(roots.byId)).map((name) => ({ path: path.join(roots.byId, name), byId: true }));
  for (const name of await names(roots.dev)) if (/^tty(USB|ACM)\d+$/.test(name)) ports.push({ path: path.join(roots.dev, name), byId: false });
  for (const p of extra) if (!ports.some((port) => port.path === p)) ports.push({ path: p, byId: false });
  return ports;
}

/** Whether `p` is one of the offered ports: the command names a device, it must be one we listed. */
export function isOffered(p: string, ports: readonly SerialPortEntry[]): boolean {
  return ports.some((port) => port.path === p);
}

export async function pingSerialPort(hw: HardwareConfig, portPath: string): Promise<PingCode> {
  const readable = await access(portPath, constants.R_OK | constants.W_OK).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code !== 'EACCES' && err.code !== 'EPERM' && err.code !== 'ENOENT' ? true : err.code,
  );
  if (readable === 'ENOENT') return 'no_answer';
  if (readable !== true) return 'denied';
  const config: HardwareConfig = { ...hw, mode: 'serial', serial: { ...hw.serial, path: portPath, byId: undefined, usb: undefined } };
  const driver = createDriver(config, serialOpener(config), 'serial');
  driver.start();
  try {
    const connected = await driver.waitConnected(Math.max(hw.startupWaitMs, 1000));
    if (!connected) return /EACCES|permission/i.test(driver.state.lastError ?? '') ? 'denied' : 'no_answer';
    await driver.send({ op: 'ping' }, { retries: 1 });
    return 'ok';
  } catch {
    return 'no_answer';
  } finally {
    await driver.stop();
  }
}
