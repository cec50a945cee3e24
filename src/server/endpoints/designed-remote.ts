/**
 * Client of the designed remote-access endpoints (myrvm-server-contract.md §4, from the Jetson client:
 * `POST /api/v2/rvms/{id}/remote-access/start|stop`, `GET …/status`, `GET …/history?limit=`). The bodies
 * are our design, since no server defines them: start sends the requested minutes and the machine's
 * addresses and gets back the session id and where the tunnel should go (host, port, user). One attempt
 * each (a technician is waiting); switched off at the first 404 like every designed family.
 */
import { z } from 'zod';
import type { DesignedEndpoints } from './designed.js';

const startReply = z.object({
  status: z.literal('success'),
  data: z.object({
    session_id: z.union([z.string(), z.number()]).transform(String),
    host: z.string().optional(),
    port: z.number().int().optional(),
    user: z.string().optional(),
    expires_at: z.string().optional(),
  }).passthrough(),
}).passthrough();

const okReply = z.object({ status: z.literal('success') }).passthrough();

const path = (id: number, tail: string) => `/api/v2/rvms/${id}/remote-access/${tail}`;

export function remoteAccessStart(designed: DesignedEndpoints, body: { duration_minutes: number; addresses: Array<{ interface: string; address: string; vpn: boolean }> }) {
  return designed.withRvmId('remoteAccess', (id) => ({ method: 'POST', path: path(id, 'start'), auth: 'edge', json: body, schema: startReply, retry: false }));
}

export function remoteAccessStop(designed: DesignedEndpoints, body: { session_id: string; reason: string }) {
  return designed.withRvmId('remoteAccess', (id) => ({ method: 'POST', path: path(id, 'stop'), auth: 'edge', json: body, schema: okReply, retry: false }));
}

export function remoteAccessStatus(designed: DesignedEndpoints) {
  return designed.withRvmId('remoteAccess', (id) => ({ method: 'GET', path: path(id, 'status'), auth: 'edge', schema: okReply, retry: false }));
}

export function remoteAccessHistory(designed: DesignedEndpoints, limit: number) {
  return designed.withRvmId('remoteAccess', (id) => ({ method: 'GET', path: path(id, 'history'), query: { limit: String(limit) }, auth: 'edge', schema: okReply, retry: false }));
}
