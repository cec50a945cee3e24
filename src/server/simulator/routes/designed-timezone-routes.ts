/**
 * The designed timezone sync as a server with the designs would serve it, in both spellings the documents
 * use (contract §4), only when the simulator plays that server (`designed: true`; otherwise 404 like today's
 * MyRVM-Server):
 *   POST /api/v2/timezone/sync, /api/v2/timezone/sync/manual  {device_id, timezone, device_time, method}
 *   POST /api/v2/timezone-sync  {device_id, event, timezone, country, city, ip, timestamp, sync_method}
 *   GET  /api/v2/timezone/status/{device_id}, /api/v2/timezone-status/{device_id}
 * Edge-key auth, and the design's rate limit: one sync a minute per device (429 with Retry-After).
 * The dashboard's "Sync timezone" is POST /__sim/timezone-update {timezone?}: it broadcasts `timezone_update`
 * on rvm.<uuid> (and sets the device's zone on the server when a zone is given).
 */
import { z } from 'zod';
import { isValidTimeZone } from '../../../domain/timezone.js';
import { check, type Rule } from '../laravel-validation.js';
import { jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import { edgeAuth } from './edge-routes.js';

const RATE_WINDOW_MS = 60_000;

const SLASH_RULES: Record<string, Rule[]> = {
  device_id: ['required', 'string', { max: 100 }],
  timezone: ['required', 'string', { max: 50 }],
  device_time: ['nullable', 'string'],
  method: ['required', 'string', { in: ['automatic', 'manual'] }],
};

const DASH_RULES: Record<string, Rule[]> = {
  device_id: ['required', 'string', { max: 100 }],
  event: ['required', 'string', { in: ['timezone_sync'] }],
  timezone: ['required', 'string', { max: 50 }],
  country: ['nullable', 'string', { max: 100 }],
  city: ['nullable', 'string', { max: 100 }],
  ip: ['nullable', 'string', { max: 45 }],
  timestamp: ['required', 'string'],
  sync_method: ['required', 'string', { in: ['automatic', 'manual'] }],
};

function statusData(ctx: SimContext, deviceId: string) {
  const mine = ctx.state.timezoneSyncs.filter((s) => s.body?.device_id === deviceId);
  const last = mine.at(-1);
  return {
    device_id: deviceId,
    timezone: ctx.state.timezone,
    country: last?.body?.country ?? null,
    city: last?.body?.city ?? null,
    server_time: jakartaIso(ctx.now()),
    last_sync_at: last ? jakartaIso(last.at) : null,
    sync_count: mine.length,
  };
}

export function designedTimezoneRoutes(api: Router, admin: Router, ctx: SimContext): void {
  if (!ctx.settings.designed) return;
  const lastSync = new Map<string, number>();
  const edge = (handler: (req: SimRequest) => SimReply) => (req: SimRequest) => edgeAuth(ctx, req) ?? handler(req);

  const sync = (spelling: 'slash' | 'dash', fixedMethod?: 'manual') => (req: SimRequest) => {
    const body = jsonBody(req);
    const invalid = check(body, spelling === 'slash' ? SLASH_RULES : DASH_RULES);
    if (invalid) return invalid;
    const zone = String(body.timezone);
    if (!isValidTimeZone(zone)) return json(422, { message: 'The timezone field must be a valid timezone.', errors: { timezone: ['The timezone field must be a valid timezone.'] } });
    const deviceId = String(body.device_id);
    const since = ctx.now() - (lastSync.get(deviceId) ?? -Infinity);
    if (since < RATE_WINDOW_MS) {
      const retryAfter = Math.ceil((RATE_WINDOW_MS - since) / 1000);
      return json(429, { message: 'Too Many Attempts.' }, { 'Retry-After': String(retryAfter) });
    }
    lastSync.set(deviceId, ctx.now());
    const method = fixedMethod ?? String(spelling === 'slash' ? body.method : body.sync_method);
    ctx.state.timezone = zone;
    ctx.state.timezoneSyncs.push({ timezone: zone, method, at: ctx.now(), spelling, body });
    return json(200, { status: 'success', data: statusData(ctx, deviceId) });
  };
  const status = (req: SimRequest) => json(200, { status: 'success', data: statusData(ctx, decodeURIComponent(req.params.deviceId ?? '')) });

  api
    .add('POST', '/api/v2/timezone/sync', edge(sync('slash')))
    .add('POST', '/api/v2/timezone/sync/manual', edge(sync('slash', 'manual')))
    .add('GET', '/api/v2/timezone/status/{deviceId}', edge(status))
    .add('POST', '/api/v2/timezone-sync', edge(sync('dash')))
    .add('GET', '/api/v2/timezone-status/{deviceId}', edge(status));

  admin.add('POST', '/__sim/timezone-update', (req) => {
    const parsed = z.object({ timezone: z.string().min(1).nullable().optional() }).safeParse(jsonBody(req));
    if (!parsed.success) return json(422, { message: 'timezone must be a string or null' });
    const zone = parsed.data.timezone ?? null;
    if (zone !== null && !isValidTimeZone(zone)) return json(422, { message: 'unknown time zone' });
    if (zone) ctx.state.timezone = zone;
    const sent = ctx.pusher?.publish(`rvm.${ctx.state.machine.uuid}`, 'timezone_update', { timezone: zone, device_id: ctx.state.machine.serialNumber, timestamp: jakartaIso(ctx.now()) }) ?? 0;
    return json(200, { sent });
  });
}
