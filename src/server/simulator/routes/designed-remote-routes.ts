/**
 * The designed remote-access endpoints (our bodies, see src/server/endpoints/designed-remote.ts), served only
 * when the simulator plays a server with the designs: start hands out a session on a made-up tunnel host
 * (`tunnel.sim.invalid`, a name that never resolves), stop ends it, status and history read it back.
 */
import { check } from '../laravel-validation.js';
import { jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import type { SimState } from '../sim-state.js';
import { edgeAuth } from './edge-routes.js';

export interface SimRemoteSession {
  session_id: string;
  started_at: number;
  expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
  addresses: unknown;
}

const sessions = new WeakMap<SimState, SimRemoteSession[]>();

/** What the simulated server knows of remote-access sessions (tests read it). */
export function simRemoteSessions(state: SimState): SimRemoteSession[] {
  let list = sessions.get(state);
  if (!list) sessions.set(state, (list = []));
  return list;
}

type Handler = (ctx: SimContext, req: SimRequest) => SimReply;

const rvmOr404 = (ctx: SimContext, req: SimRequest): SimReply | null =>
  Number(req.params.id) === ctx.state.machine.id ? null : json(404, { status: 'error', message: 'RVM not found' });

const active = (ctx: SimContext) => simRemoteSessions(ctx.state).find((s) => s.ended_at === null && s.expires_at > ctx.now()) ?? null;

const start: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const invalid = check(body, { duration_minutes: ['required', 'integer', { min: 1 }, { max: 1440 }], addresses: ['nullable', 'array'] });
  if (invalid) return invalid;
  if (active(ctx)) return json(409, { status: 'error', message: 'A remote-access session is already active' });
  const list = simRemoteSessions(ctx.state);
  const session: SimRemoteSession = { session_id: `ra_${list.length + 1}`, started_at: ctx.now(), expires_at: ctx.now() + Number(body.duration_minutes) * 60_000, ended_at: null, end_reason: null, addresses: body.addresses ?? [] };
  list.push(session);
  return json(201, { status: 'success', data: { session_id: session.session_id, host: 'tunnel.sim.invalid', port: 22000 + list.length, user: 'rvm', expires_at: jakartaIso(session.expires_at) } });
};

const stop: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const session = simRemoteSessions(ctx.state).find((s) => s.session_id === String(body.session_id));
  if (!session) return json(404, { status: 'error', message: 'Session not found' });
  if (session.ended_at === null) Object.assign(session, { ended_at: ctx.now(), end_reason: typeof body.reason === 'string' ? body.reason : 'stopped' });
  return json(200, { status: 'success', message: 'Remote access stopped' });
};

const view = (s: SimRemoteSession) => ({ ...s, started_at: jakartaIso(s.started_at), expires_at: jakartaIso(s.expires_at), ended_at: s.ended_at === null ? null : jakartaIso(s.ended_at) });

const status: Handler = (ctx) => {
  const s = active(ctx);
  return json(200, { status: 'success', data: { active: s !== null, session: s ? view(s) : null } });
};

const history: Handler = (ctx, req) => {
  const limit = Math.max(1, Math.min(100, Number(req.query.get('limit') ?? 20) || 20));
  return json(200, { status: 'success', data: simRemoteSessions(ctx.state).slice(-limit).reverse().map(view) });
};

export function designedRemoteRoutes(router: Router, ctx: SimContext): void {
  if (!ctx.settings.designed) return;
  const edge = (handler: Handler) => (req: SimRequest) => edgeAuth(ctx, req) ?? rvmOr404(ctx, req) ?? handler(ctx, req);
  router
    .add('POST', '/api/v2/rvms/{id}/remote-access/start', edge(start))
    .add('POST', '/api/v2/rvms/{id}/remote-access/stop', edge(stop))
    .add('GET', '/api/v2/rvms/{id}/remote-access/status', edge(status))
    .add('GET', '/api/v2/rvms/{id}/remote-access/history', edge(history));
}
