/**
 * Which names the browser host is served as. Every HTTP request and WebSocket upgrade must carry a `Host`
 * header naming one of them, whatever address the host is bound to: a page on another site that re-points
 * its own DNS name at this machine (DNS rebinding) still sends its own name, and is refused. WebSocket
 * upgrades must also carry an `Origin` that is this same host — a browser always sends one, so a client
 * without it is not the kiosk page.
 *
 * Allowed: the loopback names, the bind address when it is a real name or IP (not 0.0.0.0 / ::), and the
 * installer's list (`ui.allowedHosts`): for a remote screen on 0.0.0.0 that is the names/IPs the screen uses.
 */

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['', '0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);

export function isWildcardAddress(bind: string): boolean {
  return WILDCARDS.has(normalizeName(bind));
}

export class AllowedHosts {
  readonly names: ReadonlySet<string>;

  constructor(bind: string, extra: readonly string[] = []) {
    const names = new Set(LOOPBACK);
    if (!isWildcardAddress(bind)) names.add(normalizeName(bind));
    for (const name of extra) {
      const normal = normalizeName(name);
      if (normal !== '' && !WILDCARDS.has(normal)) names.add(normal);
    }
    this.names = names;
  }

  /** A Host header (`name`, `name:port`, `[v6]:port`) naming one of ours. */
  allowsHost(hostHeader: string | undefined): boolean {
    const name = hostName(hostHeader);
    return name !== null && this.names.has(name);
  }

  /** An upgrade's headers: our Host, and an Origin that is this very host (http or https). */
  allowsUpgrade(hostHeader: string | undefined, origin: string | undefined): boolean {
    if (!hostHeader || !this.allowsHost(hostHeader) || !origin) return false;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" (sandboxed frame, file://) and other non-URLs
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '')) return false;
    return url.host.toLowerCase() === canonicalHost(hostHeader);
  }
}

/** The name part of a Host header, lower-case, brackets and a trailing dot removed; null when malformed. */
export function hostName(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s/@]+))(?::(\d{1,5}))?$/.exec(hostHeader.trim());
  if (!match) return null;
  return normalizeName(match[1] ?? match[2] ?? '');
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** The Host header as URL.host would print it (lower-case, default ports of http kept as sent). */
function canonicalHost(hostHeader: string): string {
  return hostHeader.trim().toLowerCase();
}
