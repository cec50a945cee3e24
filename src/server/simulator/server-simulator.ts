/**
 * The MyRVM-Server simulator: one loopback HTTP server with the real server's routes and quirks (edge,
 * kiosk), the designed extras (v2 timezone and config, model sync and download, the QR "phone", a
 * Pusher v7 WebSocket server on the same port), fault injection and an admin panel under /__sim.
 * Used by demo mode, `npm run sim:server` and the tests. Credentials are generated fresh on every start.
 */
import { createHash, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../log/logger.js';
import type { CredentialsFile } from '../credentials.js';
import { FaultInjector } from './faults.js';
import { Router, jakartaIso, json, readBody, send, type SimReply, type SimRequest } from './http-kit.js';
import { PusherServer } from './pusher-server.js';
import { RateLimiter } from './rate-limiter.js';
import { adminRoutes } from './routes/admin-routes.js';
import { designedRoutes } from './routes/designed-routes.js';
import { designedRemoteRoutes } from './routes/designed-remote-routes.js';
import { designedTimezoneRoutes } from './routes/designed-timezone-routes.js';
import { designedBackupRoutes } from './routes/designed-backup-routes.js';
import { edgeRoutes } from './routes/edge-routes.js';
import { kioskRoutes } from './routes/kiosk-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import type { SimContext, SimModel } from './sim-context.js';
import { generateApiKey, generatePin, generatePusherAppKey, generateSerial, generateUuid, randomAlphanumeric } from './sim-identity.js';
import { SimState, type AssignmentStatus } from './sim-state.js';

const log = createLogger('server.sim');

export interface SimulatorOptions {
  host?: string;
  port?: number;
  machineName?: string;
  /** Technician assignment of the machine; 'none' = not commissioned (heartbeat 403). Default active. */
  assignment?: AssignmentStatus | 'none';
  technicianName?: string;
  /** 6-digit PIN of that assignment; default a fresh random one. */
  pin?: string;
  realtime?: boolean;
  designed?: boolean;
  kioskThrottlePerMinute?: number;
  pinMaxAttempts?: number;
  pinDecaySeconds?: number;
  /** The machine's bin-full threshold in percent (the server's default is 90). */
  binFullThresholdPercent?: number;
  /** The detector confidence threshold `rvms/{id}/config` serves (the design's default is 0.75). */
  confidenceThreshold?: number;
  models?: Array<{ name: string; version: string; bytes: Buffer }>;
  now?: () => number;
  /**
   * Told of every API request and realtime upgrade as it arrives, outages included (the fleet benchmark
   * counts requests per second from it: bench/fleet/).
   */
  onRequest?: (path: string, at: number) => void;
}

export interface ServerSimulator {
  url: string;
  port: number;
  /** What the admin page would export as rvm-credentials.json. */
  credentials: CredentialsFile;
  machineUuid: string;
  machineId: number;
  pin: string;
  pusherAppKey: string | null;
  state: SimState;
  faults: FaultInjector;
  pusher: PusherServer | null;
  models: Map<string, SimModel>;
  /** As the dashboard's POST /edge/devices/{id}/command does: handed out with the next heartbeat. */
  queueCommand(action: 'GIT_PULL' | 'RESTART'): void;
  /** Broadcast on rvm.<uuid>; returns how many sockets got it. */
  publish(event: string, payload: unknown): number;
  /** An outage window: requests reset (or 503) and realtime refused until it ends. */
  outage(ms: number, mode?: 'drop' | '503'): void;
  close(): Promise<void>;
}

export async function startServerSimulator(options: SimulatorOptions = {}): Promise<ServerSimulator> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const name = options.machineName ?? 'RVM Simulator';
  const pin = options.pin ?? generatePin();
  const apiKey = generateApiKey();
  const state = new SimState({
    id: randomInt(1, 500),
    uuid: generateUuid(),
    serialNumber: generateSerial(new Date(now())),
    name,
    apiKey,
    status: 'offline',
    lastPing: null,
    capacityPercentage: 0,
  });
  if (options.assignment !== 'none') {
    state.assignments.push({ id: randomInt(1, 900), technicianName: options.technicianName ?? 'Teknisi Demo', status: options.assignment ?? 'active', pin, pinExpiresAt: null });
  }
  const faults = new FaultInjector(now);
  const pusher = options.realtime === false ? null : new PusherServer(generatePusherAppKey());
  const models = new Map<string, SimModel>();
  for (const m of options.models ?? []) {
    const sha256 = createHash('sha256').update(m.bytes).digest('hex');
    models.set(sha256, { ...m, sha256, deployedAt: now() });
  }
  if (options.confidenceThreshold !== undefined) state.confidenceThreshold = options.confidenceThreshold;
  const ctx: SimContext = {
    state,
    settings: {
      publicUrl: '',
      designed: options.designed ?? true,
      kioskThrottlePerMinute: options.kioskThrottlePerMinute ?? 60,
      pinMaxAttempts: options.pinMaxAttempts ?? 5,
      pinDecaySeconds: options.pinDecaySeconds ?? 3600,
      binFullThresholdPercent: options.binFullThresholdPercent ?? 90,
      appSecret: randomAlphanumeric(32),
    },
    limiter: new RateLimiter(now),
    pusher,
    models,
    now,
  };
  const api = new Router();
  edgeRoutes(api, ctx);
  kioskRoutes(api, ctx);
  modelRoutes(api, ctx);
  designedRoutes(api, ctx);
  designedRemoteRoutes(api, ctx);
  designedBackupRoutes(api, ctx);
  const outage = (ms: number, mode: 'drop' | '503' = 'drop'): void => {
    faults.outage(ms, mode);
    pusher?.setRefusing(ms > 0);
    if (ms > 0) setTimeout(() => pusher?.setRefusing(faults.inOutage()), ms + 10).unref();
  };
  const admin = new Router();
  adminRoutes(admin, ctx, faults, outage);
  designedTimezoneRoutes(api, admin, ctx);

  const server = createServer((req, res) => {
    if (options.onRequest && !req.url?.startsWith('/__sim/')) options.onRequest(new URL(req.url ?? '/', 'http://sim').pathname, now());
    handle(req, res, { api, admin, ctx, faults }).catch((err: unknown) => {
      log.error('simulator route failed', { path: req.url, error: String(err) });
      if (!res.headersSent) send(res, json(500, { message: 'Server Error' }));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    options.onRequest?.('(realtime upgrade)', now());
    if (!pusher || faults.inOutage()) socket.destroy();
    else pusher.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  ctx.settings.publicUrl = url;

  return {
    url,
    port,
    credentials: { serial_number: state.machine.serialNumber, api_key: apiKey, name, generated_at: new Date(now()).toISOString() },
    machineUuid: state.machine.uuid,
    machineId: state.machine.id,
    pin,
    pusherAppKey: pusher?.appKey ?? null,
    state,
    faults,
    pusher,
    models,
    queueCommand: (action) => state.commandQueue.push({ action, timestamp: jakartaIso(now()) }),
    publish: (event, payload) => pusher?.publish(`rvm.${state.machine.uuid}`, event, payload) ?? 0,
    outage,
    close: async () => {
      pusher?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Parts {
  api: Router;
  admin: Router;
  ctx: SimContext;
  faults: FaultInjector;
}

async function handle(req: IncomingMessage, res: ServerResponse, { api, admin, ctx, faults }: Parts): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const simReq: SimRequest = { method, path: url.pathname, query: url.searchParams, params: {}, headers: req.headers, ip: req.socket.remoteAddress ?? '', body };
  if (url.pathname.startsWith('/__sim/')) {
    send(res, await route(admin, simReq));
    return;
  }
  ctx.state.countHit(url.pathname);
  for (const h of ['origin', 'referer'] as const) if (req.headers[h]) ctx.state.browserHeadersSeen.push(`${h}: ${req.headers[h]}`);
  const { latencyMs, action } = faults.decide(url.pathname);
  if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
  if (action.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (action.kind === 'status') {
    const headers: Record<string, string> = action.retryAfter === undefined ? {} : { 'Retry-After': String(action.retryAfter) };
    send(res, json(action.status, { message: action.status === 429 ? 'Too Many Attempts.' : 'Server Error' }, headers));
    return;
  }
  if (action.kind === 'html_200' || action.kind === 'wrong_types_200' || action.kind === 'redirect') {
    send(res, hostileReply(action));
    return;
  }
  if (action.kind === 'huge_200') {
    streamHuge(res, action.bytes);
    return;
  }
  const reply = await route(api, simReq);
  if (action.kind === 'drop_after') {
    req.socket.destroy();
    return;
  }
  if (action.kind === 'malformed') {
    const text = JSON.stringify(reply.body ?? {});
    res.statusCode = reply.status;
    res.setHeader('Content-Type', 'application/json');
    res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    return;
  }
  send(res, expectsJson(req) ? reply : laravelRedirect(reply, ctx.settings.publicUrl));
}

const CAPTIVE_PORTAL_PAGE = '<!doctype html><html><head><title>Wi-Fi login</title></head><body><h1>Welcome!</h1><p>Please accept the terms to continue.</p><form method="post" action="/login"><button>Connect</button></form></body></html>';

/** What a middlebox answers instead of the server (the route never runs). */
function hostileReply(action: { kind: 'html_200' | 'wrong_types_200' } | { kind: 'redirect'; status: number; location: string }): SimReply {
  if (action.kind === 'redirect') return { status: action.status, headers: { Location: action.location }, raw: Buffer.from('Redirecting') };
  if (action.kind === 'html_200') return { status: 200, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, raw: Buffer.from(CAPTIVE_PORTAL_PAGE) };
  // MyRVM's look, every field of the wrong type.
  return json(200, { status: true, message: 404, synced_count: '1', data: { image_url: 7, processed_at: false } });
}

/**
 * A 200 of `bytes` bytes without Content-Length (so only an incremental reader can stop early). Read to the
 * end it is valid sync-offline JSON for a one-transaction batch: only a size cap keeps it from counting.
 */
function streamHuge(res: ServerResponse, bytes: number): void {
  const head = Buffer.from('{"status":"success","message":"Synced 1 offline transactions","synced_count":1,"padding":"');
  const tail = Buffer.from('"}');
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let left = Math.max(0, bytes - head.length - tail.length);
  let closed = false;
  res.on('close', () => (closed = true));
  res.on('error', () => (closed = true));
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write(head);
  const pump = (): void => {
    while (!closed && left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!closed) res.end(tail);
  };
  pump();
}

async function route(router: Router, req: SimRequest): Promise<SimReply> {
  const found = router.match(req.method, req.path);
  if (found === null) return json(404, { message: `The route ${req.path.replace(/^\//, '')} could not be found.` });
  if (found === 'wrong_method') return json(405, { message: `The ${req.method} method is not supported for route ${req.path.replace(/^\//, '')}.` });
  return found.handler({ ...req, params: found.params });
}

function expectsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('json');
}

/** Without Accept: application/json, Laravel answers validation errors with a redirect back and auth failures with /login. */
function laravelRedirect(reply: SimReply, publicUrl: string): SimReply {
  const message = (reply.body as { message?: unknown } | undefined)?.message;
  if (reply.status === 422) return { status: 302, headers: { Location: publicUrl }, raw: Buffer.from('Redirecting') };
  if (reply.status === 401 && message === 'Unauthenticated.') return { status: 302, headers: { Location: `${publicUrl}/login` }, raw: Buffer.from('Redirecting') };
  return reply;
}
