/**
 * The designed extras, served only when the simulator plays "a server with the v2 features" (timezone sync:
 * designed-timezone-routes.ts): `rvms/{id}/config` with the confidence threshold, metrics, edge telemetry (`/api/v1/edge/telemetry`,
 * which the design lists and today's server lacks), and the phone's side of QR login, which
 * marks the token authorized and broadcasts `session.authorized` on `rvm.<uuid>`. Edge-key auth throughout,
 * since a device holds no user token. Without designed extras these paths 404, like today's MyRVM-Server.
 */
import { randomBytes } from 'node:crypto';
import { check } from '../laravel-validation.js';
import { jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import { edgeAuth } from './edge-routes.js';

type Handler = (ctx: SimContext, req: SimRequest) => SimReply;

function rvmOr404(ctx: SimContext, req: SimRequest): SimReply | null {
  return Number(req.params.id) === ctx.state.machine.id ? null : json(404, { status: 'error', message: 'RVM not found' });
}

const rvmConfig: Handler = (ctx, req) =>
  rvmOr404(ctx, req) ??
  json(200, { status: 'success', data: { confidence_threshold: ctx.state.confidenceThreshold, timezone: ctx.state.timezone, heartbeat_interval_seconds: 60 } });

const getThreshold: Handler = (ctx, req) => rvmOr404(ctx, req) ?? json(200, { status: 'success', data: { confidence_threshold: ctx.state.confidenceThreshold } });

const setThreshold: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const invalid = check(body, { confidence_threshold: ['required', 'numeric', { min: 0 }, { max: 1 }] });
  if (invalid) return invalid;
  const missing = rvmOr404(ctx, req);
  if (missing) return missing;
  ctx.state.confidenceThreshold = Number(body.confidence_threshold);
  // As a designed server would tell every listener of the machine (the dashboard, the kiosk itself).
  ctx.pusher?.publish(`rvm.${ctx.state.machine.uuid}`, 'config_update', { confidence_threshold: ctx.state.confidenceThreshold, timestamp: jakartaIso(ctx.now()) });
  return json(200, { status: 'success', data: { confidence_threshold: ctx.state.confidenceThreshold } });
};

const metrics: Handler = (ctx, req) => {
  const missing = rvmOr404(ctx, req);
  if (missing) return missing;
  ctx.state.metrics.push(jsonBody(req));
  return json(201, { status: 'success', message: 'Metrics received' });
};

/** Designed edge telemetry: readings in `sensor_data`, shaped after the server's unused `edge_telemetry` table. */
const telemetry: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const invalid = check(body, { hardware_id: ['required', 'string', { max: 100 }], sensor_data: ['required', 'array'] });
  if (invalid) return invalid;
  ctx.state.telemetry.push(body);
  return json(201, { status: 'success', message: 'Telemetry received' });
};

/** The phone: redeem a QR token as a user (after MyRVM-Platform's POST /api/v2/rvm/session/claim). */
const claim: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const invalid = check(body, { session_token: ['required', 'string'], user_name: ['nullable', 'string', { max: 100 }] });
  if (invalid) return invalid;
  const session = ctx.state.kioskSessions.get(String(body.session_token));
  if (!session || session.expiresAt <= ctx.now()) return json(404, { success: false, message: 'Sesi tidak ditemukan atau kedaluwarsa.' });
  if (session.status === 'authorized') return json(409, { success: false, message: 'Sesi sudah digunakan.' });
  session.status = 'authorized';
  session.sessionId = `member_${randomBytes(12).toString('base64url').slice(0, 16)}`;
  // `balance` reads $user->balance while the column is points_balance: always 0 on the real server.
  session.user = { id: 1001, name: typeof body.user_name === 'string' && body.user_name ? body.user_name : 'Pengguna Demo', balance: 0 };
  const timestamp = jakartaIso(ctx.now());
  const channel = `rvm.${session.machineUuid}`;
  const payload = { session_id: session.sessionId, user: session.user, timestamp };
  ctx.pusher?.publish(channel, 'session.authorized', payload);
  ctx.pusher?.publish(channel, 'ui.update', { type: 'session_authorized', payload, timestamp });
  return json(200, { success: true, data: { session_id: session.sessionId, machine_uuid: session.machineUuid } });
};

export function designedRoutes(router: Router, ctx: SimContext): void {
  if (!ctx.settings.designed) return;
  const edge = (handler: Handler) => (req: SimRequest) => edgeAuth(ctx, req) ?? handler(ctx, req);
  router
    .add('GET', '/api/v2/rvms/{id}/config', edge(rvmConfig))
    .add('PATCH', '/api/v2/rvms/{id}/config', edge(setThreshold))
    .add('GET', '/api/v2/rvms/{id}/config/confidence-threshold', edge(getThreshold))
    .add('PATCH', '/api/v2/rvms/{id}/config/confidence-threshold', edge(setThreshold))
    .add('POST', '/api/v2/rvms/{id}/metrics', edge(metrics))
    .add('POST', '/api/v1/edge/telemetry', edge(telemetry))
    .add('POST', '/api/v2/rvm/session/claim', (req) => claim(ctx, req));
}
