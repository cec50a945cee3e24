import { describe, expect, it } from 'vitest';
import { describeSelector, resolvePortPath, type PortInfo } from '../../../src/hardware/transport/port-resolver.js';

const ports: PortInfo[] = [
  { path: '/dev/ttyS0' },
  { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', serialNumber: 'A' },
  { path: '/dev/ttyUSB1', vendorId: '10C4', productId: 'EA60', serialNumber: '0001' },
  { path: '/dev/ttyUSB2', vendorId: '10c4', productId: 'ea60', serialNumber: '0002' },
];
const list = async () => ports;

describe('resolvePortPath', () => {
  it('uses a path as given, including a by-id link', async () => {
    expect(await resolvePortPath({ path: '/dev/serial/by-id/usb-x-if00' }, list)).toBe('/dev/serial/by-id/usb-x-if00');
    expect(await resolvePortPath({ byId: 'usb-CP2102-if00-port0' }, list)).toBe('/dev/serial/by-id/usb-CP2102-if00-port0');
  });

  it('finds a USB adapter by vendor/product id, case-insensitively, and by serial number', async () => {
    expect(await resolvePortPath({ usb: { vendorId: '10c4', productId: 'ea60' } }, list)).toBe('/dev/ttyUSB1');
    expect(await resolvePortPath({ usb: { vendorId: '0x10C4', productId: 'EA60', serialNumber: '0002' } }, list)).toBe('/dev/ttyUSB2');
  });

  it('names what it looked for and what it found when nothing matches', async () => {
    await expect(resolvePortPath({ usb: { vendorId: '0403', productId: '6001' } }, list)).rejects.toThrow(
      /no serial port matches USB 0403:6001; ports present: \/dev\/ttyS0, \/dev\/ttyUSB0 \(1a86:7523\)/,
    );
    await expect(resolvePortPath({}, list)).rejects.toThrow(/needs a path, byId or usb/);
  });

  it('describes selectors for the status screen', () => {
    expect(describeSelector({ usb: { vendorId: '10c4', productId: 'ea60', serialNumber: '7' } })).toBe('USB 10c4:ea60 #7');
  });
});
