import { describe, expect, it } from 'vitest';
import { OnceFilter } from '../../src/server/command-filter.js';
import { clampPercent, ipOrNull, isTailscaleAddress, localIp, vpnIp } from '../../src/server/system-info.js';

const iface = (address: string) => [{ address, family: 'IPv4' as const, internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }];

describe('what the kiosk reports about its host', () => {
  it('never sends a label where the server wants an IP', () => {
    expect(ipOrNull('Not Connected')).toBeNull();
    expect(ipOrNull('')).toBeNull();
    expect(ipOrNull(null)).toBeNull();
    expect(ipOrNull('100.101.2.3')).toBe('100.101.2.3');
    expect(ipOrNull('fe80::1')).toBe('fe80::1');
  });

  it('tells the LAN address from the Tailscale one', () => {
    const interfaces = { eth0: iface('192.168.1.20'), tailscale0: iface('100.88.1.2') };
    expect(localIp(interfaces)).toBe('192.168.1.20');
    expect(vpnIp(interfaces)).toBe('100.88.1.2');
    expect(vpnIp({ eth0: iface('10.0.0.2') })).toBeNull();
    expect(isTailscaleAddress('100.63.0.1')).toBe(false);
    expect(isTailscaleAddress('100.127.255.1')).toBe(true);
  });

  it('clamps health percentages into 0–100', () => {
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(140.26)).toBe(100);
    expect(clampPercent(42.26)).toBe(42.3);
    expect(clampPercent(Number.NaN)).toBe(0);
  });
});

describe('once filter', () => {
  it('accepts a key once and forgets the oldest past capacity', () => {
    const f = new OnceFilter(2);
    expect(f.accept('a')).toBe(true);
    expect(f.accept('a')).toBe(false);
    f.accept('b');
    f.accept('c');
    expect(f.accept('a')).toBe(true);
  });
});
