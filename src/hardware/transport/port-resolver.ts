/**
 * Finds the controller's port: a fixed path (including a stable `/dev/serial/by-id/...` link), a by-id
 * name, or a USB vendor/product id looked up with SerialPort.list(). Resolved again on every reconnect,
 * because a USB adapter may come back as a different /dev/ttyUSBn after a replug.
 */
import { join } from 'node:path';
import { SerialPort } from 'serialport';

export interface PortSelector {
  path?: string | undefined;
  /** A name under /dev/serial/by-id, e.g. `usb-Silicon_Labs_CP2102_0001-if00-port0`. */
  byId?: string | undefined;
  usb?: { vendorId: string; productId: string; serialNumber?: string | undefined } | undefined;
}

export interface PortInfo {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
  serialNumber?: string | undefined;
}

export type ListPorts = () => Promise<PortInfo[]>;

const listSerialPorts: ListPorts = () => SerialPort.list();

export function describeSelector(selector: PortSelector): string {
  if (selector.path) return selector.path;
  if (selector.byId) return join('/dev/serial/by-id', selector.byId);
  if (selector.usb) return `USB ${selector.usb.vendorId}:${selector.usb.productId}${selector.usb.serialNumber ? ` #${selector.usb.serialNumber}` : ''}`;
  return '(no port configured)';
}

export async function resolvePortPath(selector: PortSelector, list: ListPorts = listSerialPorts): Promise<string> {
  if (selector.path) return selector.path;
  if (selector.byId) return join('/dev/serial/by-id', selector.byId);
  const usb = selector.usb;
  if (!usb) throw new Error('hardware.serial needs a path, byId or usb {vendorId, productId}');
  const ports = await list();
  const same = (a: string | undefined, b: string) => (a ?? '').toLowerCase().replace(/^0x/, '') === b.toLowerCase().replace(/^0x/, '');
  const match = ports.find(
    (p) => same(p.vendorId, usb.vendorId) && same(p.productId, usb.productId) && (!usb.serialNumber || p.serialNumber === usb.serialNumber),
  );
  if (match) return match.path;
  const seen = ports.map((p) => `${p.path}${p.vendorId ? ` (${p.vendorId}:${p.productId})` : ''}`).join(', ') || 'none';
  throw new Error(`no serial port matches ${describeSelector(selector)}; ports present: ${seen}`);
}
