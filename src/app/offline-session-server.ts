/**
 * The session port when no server is configured: guests get a local session id (their credits wait in the
 * outbox), QR login says why it cannot work, and no phone ever logs in.
 */
import { randomBytes } from 'node:crypto';
import type { SessionServer } from '../domain/ports.js';

export function offlineSessionServer(reason: string): SessionServer {
  return {
    startGuest: async () => ({ sessionId: `guest_local_${randomBytes(8).toString('hex')}`, displayName: 'Tamu', fromServer: false }),
    qrToken: async () => {
      throw new Error(`QR login unavailable: ${reason}`);
    },
    onAuthorized: () => () => undefined,
  };
}
