/**
 * The designed backup upload (contract §4: `POST /api/v2/rvms/{id}/backup/start`, `GET …/backup/status`,
 * `POST …/backup/upload` multipart). Today's MyRVM-Server has none of them: like DesignedEndpoints, the
 * family is probed on first use and switched off for the rest of the run on 404/405 or Sanctum's bare 401,
 * so a daily backup costs today's server one request per kiosk start, never a loop.
 *
 * Our reading of the design, since only a client call exists: `start` announces the archive (size, sha256,
 * created_at, type) and answers a `backup_id`; `upload` sends the file with that id and its sha256; `status`
 * answers the server's view (`completed` once stored). The kiosk trusts the upload only when status says
 * completed with the same sha256.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FormData } from 'undici';
import { z } from 'zod';
import { createLogger } from '../../log/logger.js';
import type { ApiClient, ApiFailure } from '../api-client.js';

const log = createLogger('server.designed');

export interface BackupUpload {
  file: string;
  bytes: number;
  sha256: string;
  createdAt: string;
}

export type BackupUploadOutcome = { outcome: 'uploaded' } | { outcome: 'unsupported' } | { outcome: 'failed'; message: string };

const startReply = z.object({ status: z.literal('success'), data: z.object({ backup_id: z.union([z.string(), z.number()]).transform(String) }).passthrough() });
const uploadReply = z.object({ status: z.literal('success') }).passthrough();
const statusReply = z.object({
  status: z.literal('success'),
  data: z.object({ backup_id: z.union([z.string(), z.number()]).transform(String).nullable(), status: z.string(), sha256: z.string().nullable().optional() }).passthrough(),
});

export class BackupEndpoints {
  private state: 'unknown' | 'available' | 'absent' = 'unknown';

  constructor(
    private readonly client: ApiClient,
    private readonly rvmId: () => number | null,
    enabled = true,
  ) {
    if (!enabled) this.state = 'absent';
  }

  availability(): 'unknown' | 'available' | 'absent' {
    return this.state;
  }

  async upload(backup: BackupUpload): Promise<BackupUploadOutcome> {
    if (this.state === 'absent') return { outcome: 'unsupported' };
    const id = this.rvmId();
    if (id === null) return { outcome: 'failed', message: 'no rvm id yet: the handshake has not succeeded' };
    const base = `/api/v2/rvms/${id}/backup`;
    const start = await this.client.call({
      method: 'POST', path: `${base}/start`, auth: 'edge', retry: false, schema: startReply,
      json: { backup_type: 'full', file_name: path.basename(backup.file), size_bytes: backup.bytes, sha256: backup.sha256, created_at: backup.createdAt },
    });
    if (!start.ok) return this.failed(start, 'start');
    this.state = 'available';
    const bytes = await readFile(backup.file);
    const backupId = start.data.data.backup_id;
    const upload = await this.client.call({
      method: 'POST', path: `${base}/upload`, auth: 'edge', retry: false, schema: uploadReply, timeoutMs: 120_000,
      form: () => {
        const fd = new FormData();
        fd.append('backup_id', backupId);
        fd.append('sha256', backup.sha256);
        fd.append('file', new Blob([bytes], { type: 'application/gzip' }), path.basename(backup.file));
        return fd;
      },
    });
    if (!upload.ok) return this.failed(upload, 'upload');
    const status = await this.client.call({ method: 'GET', path: `${base}/status`, auth: 'edge', retry: false, schema: statusReply });
    if (!status.ok) return this.failed(status, 'status');
    const { data } = status.data;
    if (data.backup_id !== backupId || data.status !== 'completed' || (data.sha256 && data.sha256 !== backup.sha256)) {
      return { outcome: 'failed', message: `the server reports backup ${data.backup_id ?? 'none'} as ${data.status}` };
    }
    return { outcome: 'uploaded' };
  }

  private failed(result: ApiFailure, step: string): BackupUploadOutcome {
    if (this.state !== 'available' && result.kind === 'http' && isAbsent(result.status, result.body)) {
      log.info('designed endpoint not offered by this server: switched off', { feature: 'backup', step, status: result.status });
      this.state = 'absent';
      return { outcome: 'unsupported' };
    }
    return { outcome: 'failed', message: `backup ${step}: ${result.message}` };
  }
}

/** As designed.ts: 404/405 is no route; a 401 without an edge `error_code` is Sanctum wanting a user token. */
function isAbsent(status: number | null, body: unknown): boolean {
  if (status === 404 || status === 405) return true;
  const errorCode = body && typeof body === 'object' ? (body as { error_code?: unknown }).error_code : undefined;
  return status === 401 && errorCode === undefined;
}
