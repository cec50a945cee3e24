/**
 * Edge calls (`X-RVM-API-KEY`): handshake, heartbeat, deposit, offline batch, and the designed telemetry.
 * Thin: each builds its request as the real server wants it and names the reply schema; retry, validation
 * and logging live in ApiClient.
 */
import { FormData } from 'undici';
import { z } from 'zod';
import type { ApiClient, ApiResult, CallSpec } from '../api-client.js';
import type { TelemetryRequest } from '../device-report.js';
import type { RetryPolicy } from '../retry.js';
import {
  DEPOSIT_STATUS,
  SYNC_OFFLINE_STATUS,
  depositReply,
  handshakeReply,
  heartbeatReply,
  syncOfflineReply,
  type HandshakeReply,
  type HandshakeRequest,
  type HeartbeatReply,
  type HeartbeatRequest,
} from '../schemas/edge.js';

export function handshake(client: ApiClient, body: HandshakeRequest, retry?: false | RetryPolicy): Promise<ApiResult<HandshakeReply>> {
  return client.call({ method: 'POST', path: '/api/v1/edge/handshake', auth: 'edge', json: body, schema: handshakeReply, ...(retry === undefined ? {} : { retry }) });
}

export function heartbeat(client: ApiClient, body: HeartbeatRequest): Promise<ApiResult<HeartbeatReply>> {
  return client.call({ method: 'POST', path: '/api/v1/edge/heartbeat', auth: 'edge', json: body, schema: heartbeatReply });
}

export interface DepositUpload {
  /** `bytes`: in memory, or a file-backed Blob (the outbox's stored photo), which is streamed from disk. */
  image: { bytes: Uint8Array | Blob; contentType: 'image/jpeg' | 'image/png'; filename: string };
  status: string;
  /** Sent as the JSON string in the `data` field; the server echoes it back as `ai_result`. */
  data: Record<string, unknown>;
  sessionId?: string;
}

export function deposit(client: ApiClient, upload: DepositUpload, retry?: false | RetryPolicy): Promise<ApiResult<z.output<typeof depositReply>>> {
  const form = (): FormData => {
    const fd = new FormData();
    const { bytes, contentType, filename } = upload.image;
    // slice() on a file-backed Blob only sets the type: the bytes are read as the request body is sent.
    fd.append('image', bytes instanceof Blob ? bytes.slice(0, bytes.size, contentType) : new Blob([bytes], { type: contentType }), filename);
    fd.append('status', upload.status);
    fd.append('data', JSON.stringify(upload.data));
    if (upload.sessionId) fd.append('session_id', upload.sessionId);
    return fd;
  };
  return client.call({
    method: 'POST',
    path: '/api/v1/edge/deposit',
    auth: 'edge',
    form,
    schema: depositReply,
    expectStatus: DEPOSIT_STATUS,
    ...(retry === undefined ? {} : { retry }),
  });
}

export interface OfflineItem {
  type: string;
  weight: number;
  points: number;
  client_id: string;
  timestamp: string;
}

export interface OfflineTransaction {
  session_id: string;
  timestamp: string;
  /** A guest session's claim code; the server stores what it knows and ignores extra keys. */
  claim_code?: string;
  items: OfflineItem[];
}

export function syncOffline(
  client: ApiClient,
  transactions: OfflineTransaction[],
  retry?: false | RetryPolicy,
): Promise<ApiResult<z.output<typeof syncOfflineReply>>> {
  return client.call({
    method: 'POST',
    path: '/api/v1/edge/sync-offline',
    auth: 'edge',
    json: { transactions },
    schema: syncOfflineReply,
    expectStatus: SYNC_OFFLINE_STATUS,
    ...(retry === undefined ? {} : { retry }),
  });
}

export const telemetryReply = z.object({ status: z.literal('success') }).passthrough();

/**
 * `POST /api/v1/edge/telemetry`: in the design documents, not in today's MyRVM-Server (which answers 404).
 * Called through DesignedEndpoints, which switches it off for the run at that 404. One attempt: the next
 * period sends fresher readings anyway.
 */
export function telemetryCall(body: TelemetryRequest): CallSpec<typeof telemetryReply> {
  return { method: 'POST', path: '/api/v1/edge/telemetry', auth: 'edge', json: body, schema: telemetryReply, retry: false };
}
