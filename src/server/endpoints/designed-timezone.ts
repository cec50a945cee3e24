/**
 * The designed timezone sync over HTTP, in both spellings the documents use (contract §4):
 *   slash: POST /api/v2/timezone/sync (manual: …/timezone/sync/manual) {device_id, timezone, device_time, method},
 *          GET /api/v2/timezone/status/{device_id};
 *   dash:  POST /api/v2/timezone-sync {device_id, event, timezone, country, city, ip, timestamp, sync_method},
 *          GET /api/v2/timezone-status/{device_id}.
 * The spelling that answered last is tried first (remembered durably by the clock); the other only when the
 * first is absent (404/405, or Sanctum's bare 401). Both absent: the `timezone` family is switched off for the
 * run, with one log line, and later calls return `unsupported` without touching the network. One attempt per
 * call (no retries): the server allows one sync a minute, and the clock paces the attempts.
 */
import { z } from 'zod';
import type { SpellingMemory, TimezoneServerStatus, TimezoneSpelling, TimezoneSyncPort, TimezoneSyncRequest, TimezoneSyncResult } from '../../clock/ports.js';
import { createLogger } from '../../log/logger.js';
import type { ApiClient, ApiFailure, CallSpec } from '../api-client.js';
import { localIp } from '../system-info.js';
import type { DesignedEndpoints } from './designed.js';

const log = createLogger('server.designed');

/** Either envelope (`status: "success"` for edge calls, `success: true` for kiosk ones): no server fixes it yet. */
const zoneReply = z
  .object({
    status: z.literal('success').optional(),
    success: z.literal(true).optional(),
    data: z
      .object({
        timezone: z.string().min(1).nullable().optional(),
        last_sync_at: z.string().nullable().optional(),
        sync_count: z.number().int().nullable().optional(),
      })
      .passthrough(),
  })
  .refine((r) => r.status === 'success' || r.success === true, 'not a success envelope');

type ZoneReply = z.output<typeof zoneReply>;

export interface DesignedTimezoneOptions {
  /** hardware_id / serial: the `device_id` of both spellings. */
  deviceId: () => string;
  memory: SpellingMemory;
  ip?: () => string | null;
}

export class DesignedTimezone implements TimezoneSyncPort {
  private readonly statusOff = new Set<TimezoneSpelling>();

  constructor(
    private readonly client: ApiClient,
    private readonly designed: DesignedEndpoints,
    private readonly opts: DesignedTimezoneOptions,
  ) {}

  availability(): 'unknown' | 'available' | 'absent' {
    return this.designed.state().timezone;
  }

  async sync(request: TimezoneSyncRequest): Promise<TimezoneSyncResult> {
    if (this.designed.isOff('timezone')) return { kind: 'unsupported' };
    for (const spelling of this.order()) {
      const result = await this.client.call(this.syncCall(spelling, request));
      if (result.ok) {
        const zone = result.data.data.timezone ?? request.timezone;
        this.found(spelling);
        return { kind: 'synced', timezone: zone, spelling };
      }
      if (!isAbsent(result)) return { kind: 'failed', reason: reasonOf(result) };
    }
    log.info('designed endpoint not offered by this server: switched off', { feature: 'timezone', tried: ['/api/v2/timezone/sync', '/api/v2/timezone-sync'] });
    this.designed.set('timezone', 'absent');
    return { kind: 'unsupported' };
  }

  /** The status endpoint of the spelling that answers; null when it is absent there or fails. */
  async status(): Promise<TimezoneServerStatus | null> {
    const spelling = this.opts.memory.get();
    if (this.designed.isOff('timezone') || !spelling || this.statusOff.has(spelling)) return null;
    const id = encodeURIComponent(this.opts.deviceId());
    const path = spelling === 'slash' ? `/api/v2/timezone/status/${id}` : `/api/v2/timezone-status/${id}`;
    const result = await this.client.call({ method: 'GET', path, auth: 'edge', schema: zoneReply, retry: false });
    if (result.ok) return statusOf(result.data);
    if (isAbsent(result)) {
      log.info('timezone status endpoint not offered by this server', { path: path.replace(id, '{device_id}'), status: result.status });
      this.statusOff.add(spelling);
    }
    return null;
  }

  private order(): TimezoneSpelling[] {
    return this.opts.memory.get() === 'dash' ? ['dash', 'slash'] : ['slash', 'dash'];
  }

  private found(spelling: TimezoneSpelling): void {
    if (this.opts.memory.get() !== spelling) this.opts.memory.set(spelling);
    this.designed.set('timezone', 'available');
  }

  private syncCall(spelling: TimezoneSpelling, r: TimezoneSyncRequest): CallSpec<typeof zoneReply> {
    const deviceId = this.opts.deviceId();
    const time = new Date(r.at).toISOString();
    if (spelling === 'slash') {
      const path = r.method === 'manual' ? '/api/v2/timezone/sync/manual' : '/api/v2/timezone/sync';
      return { method: 'POST', path, auth: 'edge', schema: zoneReply, retry: false, json: { device_id: deviceId, timezone: r.timezone, device_time: time, method: r.method } };
    }
    const ip = (this.opts.ip ?? localIp)();
    const json = { device_id: deviceId, event: 'timezone_sync', timezone: r.timezone, country: r.country, city: r.city, ip, timestamp: time, sync_method: r.method };
    return { method: 'POST', path: '/api/v2/timezone-sync', auth: 'edge', schema: zoneReply, retry: false, json };
  }
}

/** As DesignedEndpoints judges it: no such route, or Sanctum wanting a user token (no edge `error_code`). */
function isAbsent(f: ApiFailure): boolean {
  if (f.kind !== 'http') return false;
  if (f.status === 404 || f.status === 405) return true;
  const errorCode = f.body && typeof f.body === 'object' ? (f.body as { error_code?: unknown }).error_code : undefined;
  return f.status === 401 && errorCode === undefined;
}

/** A code for the figures: network, timeout, http_<status>, invalid_reply. */
function reasonOf(f: ApiFailure): string {
  if (f.kind === 'http') return `http_${f.status ?? 0}`;
  if (f.kind === 'malformed') return 'invalid_reply';
  return f.kind;
}

function statusOf(reply: ZoneReply): TimezoneServerStatus {
  return { timezone: reply.data.timezone ?? null, lastSyncAt: reply.data.last_sync_at ?? null, syncCount: reply.data.sync_count ?? null };
}
