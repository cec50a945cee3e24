/**
 * One client interface, two transports: the Electron preload's `window.rvmKiosk` when it is there,
 * otherwise the browser host's WebSocket on the page's own origin.
 */
import type { KioskClient } from '../../../src/contract/index.js';
import { WsKioskClient } from './ws-client.js';

declare global {
  interface Window {
    rvmKiosk?: KioskClient;
  }
}

export function createClient(): { client: KioskClient; transport: 'electron' | 'websocket' } {
  if (window.rvmKiosk) return { client: window.rvmKiosk, transport: 'electron' };
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return { client: new WsKioskClient(`${scheme}://${location.host}/kiosk`), transport: 'websocket' };
}
