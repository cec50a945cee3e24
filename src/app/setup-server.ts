/** MyRVM server link: simulator on loopback in demo mode, the configured server otherwise. (Stub until the server work lands.) */
import type { SessionServer } from '../session/ports.js';
import type { KioskContext } from './context.js';

export async function setupServer(_ctx: KioskContext): Promise<SessionServer> {
  return {
    startGuest: async () => ({ sessionId: `guest_${Date.now()}`, displayName: 'Tamu' }),
    qrToken: async () => ({ content: 'myrvm://session/demo', expiresAt: Date.now() + 300_000 }),
    onAuthorized: () => () => undefined,
  };
}
