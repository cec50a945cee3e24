/**
 * Kiosk calls (`X-Machine-UUID`, known after the first handshake): QR session token, guest session,
 * technician PIN, maintenance command report, kiosk config. They share one 60-requests-a-minute budget on
 * the real server, so nothing here polls faster than the built-in kiosk page does.
 */
import type { z } from 'zod';
import type { ApiClient, ApiResult } from '../api-client.js';
import type { RetryPolicy } from '../retry.js';
import {
  guestSessionReply,
  kioskConfigReply,
  maintenanceCommandReply,
  pinAuthReply,
  sessionTokenReply,
  type MaintenanceCommand,
} from '../schemas/kiosk.js';

export function sessionToken(client: ApiClient): Promise<ApiResult<z.output<typeof sessionTokenReply>>> {
  return client.call({ method: 'GET', path: '/api/v1/kiosk/session/token', auth: 'kiosk', schema: sessionTokenReply });
}

export function guestSession(client: ApiClient): Promise<ApiResult<z.output<typeof guestSessionReply>>> {
  return client.call({ method: 'POST', path: '/api/v1/kiosk/session/guest', auth: 'kiosk', schema: guestSessionReply });
}

/**
 * The PIN travels as a 6-character string (a JSON number fails the server's `string` rule). Never retried:
 * each try counts towards the 5-an-hour lockout, and a person is waiting at the screen.
 */
export function pinAuth(client: ApiClient, pin: string): Promise<ApiResult<z.output<typeof pinAuthReply>>> {
  return client.call({ method: 'POST', path: '/api/v1/kiosk/auth/pin', auth: 'kiosk', json: { pin: String(pin) }, schema: pinAuthReply, retry: false });
}

/**
 * Not called by the kiosk yet: the technician audit (issue 12) will report each action through it with the
 * assignment id from the PIN reply. Kept, with its test against the server simulator, as the checked
 * client of an endpoint today's server has.
 */
export function maintenanceCommand(
  client: ApiClient,
  command: MaintenanceCommand,
  assignmentId: number,
  params: Record<string, unknown> | null = null,
): Promise<ApiResult<z.output<typeof maintenanceCommandReply>>> {
  return client.call({
    method: 'POST',
    path: '/api/v1/kiosk/maintenance/command',
    auth: 'kiosk',
    json: { command, assignment_id: assignmentId, params },
    schema: maintenanceCommandReply,
  });
}

export function kioskConfig(client: ApiClient, retry?: false | RetryPolicy): Promise<ApiResult<z.output<typeof kioskConfigReply>>> {
  return client.call({ method: 'GET', path: '/api/v1/kiosk/config', auth: 'kiosk', schema: kioskConfigReply, ...(retry === undefined ? {} : { retry }) });
}
