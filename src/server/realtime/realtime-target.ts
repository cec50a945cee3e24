/**
 * Where the realtime socket should go. Configuration wins over the handshake, because today's server
 * hard-codes port 443 and `wss` in its handshake whatever it runs, and never tells the Reverb app key.
 * Without an app key there is nothing to connect to: polling, with the reason shown.
 */
import type { ServerConfig } from '../config.js';

export type RealtimeTarget =
  | { kind: 'connect'; appKey: string; host: string; port: number; scheme: 'ws' | 'wss' }
  | { kind: 'poll'; reason: string };

export interface AdvertisedSocket {
  host?: string | null | undefined;
  port?: number | undefined;
  scheme?: string | undefined;
}

export function realtimeTarget(config: ServerConfig['realtime'], advertised: AdvertisedSocket | undefined): RealtimeTarget {
  if (!config.enabled) return { kind: 'poll', reason: 'realtime disabled in configuration' };
  if (!config.appKey) return { kind: 'poll', reason: 'no realtime server configured' };
  const scheme = (config.scheme || advertised?.scheme || 'wss') === 'ws' ? 'ws' : 'wss';
  const host = config.host || advertised?.host || '';
  if (!host) return { kind: 'poll', reason: 'no realtime host known' };
  const port = config.port || advertised?.port || (scheme === 'wss' ? 443 : 80);
  return { kind: 'connect', appKey: config.appKey, host, port, scheme };
}
