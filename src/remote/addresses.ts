/**
 * The addresses a technician (or the server) could reach this machine on: every non-loopback interface,
 * VPN interfaces marked — Tailscale (tailscale*, 100.64.0.0/10), WireGuard (wg*), OpenVPN/other tunnels
 * (tun*, tap*), ZeroTier (zt*) and PPP links. Listed for information; nothing listens because of it.
 */
import os from 'node:os';

export interface ReachableAddress {
  interface: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  vpn: boolean;
}

const VPN_NAMES = /^(tailscale|wg|tun|tap|zt|ppp|utun|nordlynx)/i;

function isCgnat(ip: string): boolean {
  const m = /^100\.(\d+)\./.exec(ip);
  return m !== null && Number(m[1]) >= 64 && Number(m[1]) <= 127;
}

export function reachableAddresses(interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): ReachableAddress[] {
  const out: ReachableAddress[] = [];
  for (const [name, addrs] of Object.entries(interfaces)) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      // Link-local IPv6 (fe80::) needs a scope to be usable from elsewhere: not worth listing.
      if (a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')) continue;
      out.push({ interface: name, address: a.address, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4', vpn: VPN_NAMES.test(name) || isCgnat(a.address) });
    }
  }
  // VPN first: the address a remote technician can actually use.
  return out.sort((x, y) => Number(y.vpn) - Number(x.vpn));
}
