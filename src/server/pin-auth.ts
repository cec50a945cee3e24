/**
 * Technician PIN check against the server (`POST /api/v1/kiosk/auth/pin`), for the maintenance domain.
 * The result has the maintenance domain's own PinResult shape (src/maintenance/pin-verifier.ts), so the
 * verifier is a one-liner: `(pin) => authenticatePin(link.client, pin)`.
 *
 *   { kind: 'ok', technicianName, assignmentId, expiresAt?, permissions }
 *   { kind: 'wrong', remainingAttempts? }   401 wrong PIN, or 404 unknown machine (both count on the server)
 *   { kind: 'locked', retryAfterSec }       429: 5 failures within the hour on the server
 *   { kind: 'unavailable', message }        never judged: not 6 characters (checked here, never sent), 400/422,
 *                                           no link yet, offline, 5xx, garbled reply. Does not count as a guess.
 *
 * Sent once, never retried (each try counts towards the server's lockout). The PIN goes as a string, the
 * only form the server accepts, and is never logged.
 */
import type { ApiClient } from './api-client.js';
import { pinAuth } from './endpoints/kiosk.js';
import { pinAuthError } from './schemas/kiosk.js';

export type PinAuthResult =
  | { kind: 'ok'; technicianName: string; assignmentId: number; expiresAt?: number; permissions?: Record<string, boolean> }
  | { kind: 'wrong'; remainingAttempts?: number }
  | { kind: 'locked'; retryAfterSec: number; message: string }
  | { kind: 'unavailable'; message: string };

export async function authenticatePin(client: ApiClient, pin: string): Promise<PinAuthResult> {
  if (typeof pin !== 'string' || pin.length !== 6) return { kind: 'unavailable', message: 'the PIN has 6 characters' };
  const result = await pinAuth(client, pin);
  if (result.ok) {
    const d = result.data.data;
    const expiresAt = d.session_expires_at ? Date.parse(d.session_expires_at) : Number.NaN;
    return { kind: 'ok', technicianName: d.technician_name, assignmentId: d.assignment_id, ...(d.permissions ? { permissions: d.permissions } : {}), ...(Number.isFinite(expiresAt) ? { expiresAt } : {}) };
  }
  if (result.kind !== 'http') return { kind: 'unavailable', message: result.message };
  const body = pinAuthError.safeParse(result.body);
  switch (result.status) {
    case 401:
    case 404: {
      const remaining = body.success ? body.data.remaining_attempts : undefined;
      return remaining === undefined ? { kind: 'wrong' } : { kind: 'wrong', remainingAttempts: remaining };
    }
    case 429: {
      const seconds = body.success && body.data.retry_after !== undefined ? body.data.retry_after : Math.ceil((result.retryAfterMs ?? 60_000) / 1000);
      return { kind: 'locked', retryAfterSec: seconds, message: body.success ? body.data.message : result.message };
    }
    default:
      return { kind: 'unavailable', message: result.message };
  }
}
