/**
 * Writing the designed `rvms/{id}/config` (contract §4: `PATCH /api/v2/rvms/{id}/config` with
 * `{"confidence_threshold": float}`), for a technician's threshold change. Only tried where the server
 * answered the GET of the same family (DesignedEndpoints' `rvmConfig` is `available`): today's
 * MyRVM-Server has neither, so nothing is sent there. A server that reads but does not take writes (404/405)
 * is remembered for the rest of the run, so no request is repeated that cannot succeed.
 */
import { z } from 'zod';
import type { ApiClient } from '../api-client.js';
import type { DesignedEndpoints } from './designed.js';

export type ConfigWrite = { result: 'saved'; value: number } | { result: 'not_offered'; detail: string } | { result: 'failed'; detail: string };

const patchReply = z.object({
  status: z.literal('success'),
  data: z.object({ confidence_threshold: z.number().min(0).max(1) }).passthrough(),
});

export class RvmConfigWriter {
  private writesAbsent = false;

  constructor(
    private readonly client: ApiClient,
    private readonly designed: DesignedEndpoints,
    private readonly rvmId: () => number | null,
  ) {}

  async setConfidenceThreshold(value: number): Promise<ConfigWrite> {
    const id = this.rvmId();
    if (id === null) return { result: 'failed', detail: 'no rvm id yet: the handshake has not succeeded' };
    if (this.designed.state().rvmConfig !== 'available' || this.writesAbsent) return { result: 'not_offered', detail: 'this server has no rvms/{id}/config to write' };
    // One attempt: a technician is waiting at the screen, and the value already applies locally.
    const reply = await this.client.call({ method: 'PATCH', path: `/api/v2/rvms/${id}/config`, auth: 'edge', json: { confidence_threshold: value }, schema: patchReply, retry: false });
    if (reply.ok) return { result: 'saved', value: reply.data.data.confidence_threshold };
    if (reply.kind === 'http' && (reply.status === 404 || reply.status === 405)) {
      this.writesAbsent = true;
      return { result: 'not_offered', detail: `the server answered HTTP ${reply.status} to PATCH rvms/{id}/config` };
    }
    return { result: 'failed', detail: reply.message };
  }
}
