/**
 * `/api/v1/kiosk/*` as MyRVM-Server answers them (contract §2): `X-Machine-UUID` checked by hand in each
 * controller (some check that it exists, session ones do not), body validation before the header where the
 * real controllers do it, one shared `throttle:60,1` budget per client IP, and the technician PIN lockout
 * of 5 failures an hour. The designed QR status endpoint is served only when designed extras are on.
 */
import { randomBytes } from 'node:crypto';
import { MAINTENANCE_COMMANDS } from '../../schemas/kiosk.js';
import { check } from '../laravel-validation.js';
import { header, jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import { generateSessionToken } from '../sim-identity.js';

const MACHINE_NOT_FOUND = { success: false, message: 'Mesin tidak ditemukan.' };
const HEADER_REQUIRED = { success: false, message: 'Machine UUID header is required.' };
const COMMAND_MESSAGES: Record<string, string> = {
  test_motor: 'Perintah tes motor dikirim.',
  open_door: 'Perintah buka pintu dikirim.',
  close_door: 'Perintah tutup pintu dikirim.',
  test_led: 'Perintah tes LED dikirim.',
  test_sensor: 'Perintah tes sensor dikirim.',
  check_connection: 'Perintah cek koneksi dikirim.',
  check_model_update: 'Perintah cek pembaruan model dikirim.',
};

type Handler = (ctx: SimContext, req: SimRequest) => SimReply | Promise<SimReply>;

function machineCheck(ctx: SimContext, req: SimRequest, mustExist: boolean): SimReply | null {
  const uuid = header(req, 'x-machine-uuid');
  if (!uuid) return json(400, HEADER_REQUIRED);
  if (mustExist && uuid !== ctx.state.machine.uuid) return json(404, MACHINE_NOT_FOUND);
  return null;
}

function appliedTheme(ms: number): 'dark' | 'light' {
  const hour = Number(jakartaIso(ms).slice(11, 13));
  return hour >= 18 || hour < 6 ? 'dark' : 'light';
}

const sessionToken: Handler = (ctx, req) => {
  const uuid = header(req, 'x-machine-uuid');
  if (!uuid) return json(400, HEADER_REQUIRED);
  const token = generateSessionToken();
  const expiresAt = ctx.now() + 300_000;
  ctx.state.kioskSessions.set(token, { token, machineUuid: uuid, expiresAt, status: 'pending', sessionId: null, user: null });
  return json(200, { success: true, data: { token, expires_at: jakartaIso(expiresAt), expires_in: 300, qr_content: `myrvm://session/${token}?m=${uuid}` } });
};

const guestSession: Handler = (ctx, req) => {
  const refused = machineCheck(ctx, req, false);
  if (refused) return refused;
  const sessionId = `guest_${randomBytes(12).toString('base64url').slice(0, 16)}`;
  ctx.state.guestSessions.push(sessionId);
  return json(200, { success: true, message: 'Mode tamu diaktifkan. Silakan masukkan botol Anda.', data: { session_id: sessionId, type: 'guest', display_name: 'Tamu Dermawan' } });
};

const pinAuth: Handler = (ctx, req) => {
  const invalid = check(jsonBody(req), { pin: ['required', 'string', { size: 6 }] });
  if (invalid) return invalid;
  const uuid = header(req, 'x-machine-uuid');
  if (!uuid) return json(400, HEADER_REQUIRED);
  const { limiter, settings, state } = ctx;
  const key = `kiosk_pin:${uuid}`;
  if (limiter.tooManyAttempts(key, settings.pinMaxAttempts)) {
    const seconds = limiter.availableIn(key);
    return json(429, { success: false, message: `Terlalu banyak percobaan. Coba lagi dalam ${seconds} detik.`, retry_after: seconds });
  }
  if (uuid !== state.machine.uuid) {
    limiter.hit(key, settings.pinDecaySeconds);
    return json(404, MACHINE_NOT_FOUND);
  }
  const pin = jsonBody(req).pin as string;
  const assignment = state.assignments.find(
    (a) => a.status === 'active' && a.pin === pin && (a.pinExpiresAt === null || a.pinExpiresAt > ctx.now()),
  );
  if (!assignment) {
    const attempts = limiter.hit(key, settings.pinDecaySeconds);
    return json(401, { success: false, message: 'PIN tidak valid.', remaining_attempts: Math.max(0, settings.pinMaxAttempts - attempts) });
  }
  limiter.clear(key);
  return json(200, {
    success: true,
    message: 'Otentikasi berhasil. Selamat datang, Teknisi.',
    data: {
      technician_name: assignment.technicianName,
      assignment_id: assignment.id,
      permissions: { view_logs: true, view_status: true, test_hardware: true, toggle_theme: true },
      session_expires_at: jakartaIso(ctx.now() + 2 * 3_600_000),
    },
  });
};

const maintenanceCommand: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const invalid = check(body, {
    command: ['required', 'string', { in: MAINTENANCE_COMMANDS }],
    assignment_id: ['required', 'integer', { exists: (v) => ctx.state.assignments.some((a) => a.id === Number(v)) }],
    params: ['nullable', 'array'],
  });
  if (invalid) return invalid;
  const missing = machineCheck(ctx, req, true);
  if (missing) return missing;
  // Needs assignment_type = full_access, a column that does not exist: always refused.
  if (body.command === 'reboot_edge') return json(403, { success: false, message: 'Anda tidak memiliki izin untuk perintah ini.' });
  const requestId = `cmd_${Date.now().toString(16)}${randomBytes(5).toString('hex')}`;
  return json(200, { success: true, message: COMMAND_MESSAGES[String(body.command)], data: { request_id: requestId, command: body.command, status: 'sent' } });
};

const maintenanceStatus: Handler = (ctx, req) =>
  machineCheck(ctx, req, true) ??
  json(200, {
    success: true,
    data: {
      machine: { name: ctx.state.machine.name, status: ctx.state.machine.status, last_activity: ctx.state.machine.lastPing ? jakartaIso(ctx.state.machine.lastPing) : null },
      connections: { server: true, edge_daemon: false, sensors: 'unknown' },
      hardware: { door_status: 'unknown', conveyor_status: 'unknown', bin_level: 0 },
      ai_model: { version: 'unknown', last_updated: null },
    },
  });

const config: Handler = (ctx, req) =>
  machineCheck(ctx, req, true) ??
  json(200, {
    success: true,
    data: { machine_name: ctx.state.machine.name, theme_mode: 'auto', applied_theme: appliedTheme(ctx.now()), timezone: 'Asia/Jakarta', qr_refresh_interval: 300 },
  });

const theme: Handler = (ctx, req) => {
  const body = jsonBody(req);
  const invalid = check(body, { theme_mode: ['required', 'string', { in: ['auto', 'light', 'dark'] }] });
  if (invalid) return invalid;
  const applied = body.theme_mode === 'auto' ? appliedTheme(ctx.now()) : body.theme_mode;
  return machineCheck(ctx, req, true) ?? json(200, { success: true, message: 'Tema berhasil diperbarui.', data: { theme_mode: body.theme_mode, applied_theme: applied } });
};

/** App\Models\Log does not exist: past the checks, the controller dies. */
const logs: Handler = (ctx, req) => machineCheck(ctx, req, true) ?? json(500, { message: 'Server Error' });

/** Designed: the polling twin of `session.authorized`. */
const sessionStatus: Handler = (ctx, req) => {
  const missing = machineCheck(ctx, req, false);
  if (missing) return missing;
  const s = ctx.state.kioskSessions.get(req.query.get('token') ?? '');
  if (!s) return json(404, { success: false, message: 'Sesi tidak ditemukan.' });
  const status = s.status === 'authorized' ? 'authorized' : s.expiresAt <= ctx.now() ? 'expired' : 'pending';
  return json(200, { success: true, data: { status, session_id: s.sessionId, user: s.user } });
};

/** The kiosk group's throttle:60,1, one bucket per client IP shared by every kiosk route. */
function throttled(ctx: SimContext, handler: Handler): (req: SimRequest) => Promise<SimReply> {
  return async (req) => {
    const key = `throttle:kiosk:${req.ip}`;
    const limit = ctx.settings.kioskThrottlePerMinute;
    if (ctx.limiter.tooManyAttempts(key, limit)) {
      const retryAfter = ctx.limiter.availableIn(key);
      return json(429, { message: 'Too Many Attempts.' }, {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.ceil(ctx.now() / 1000) + retryAfter),
      });
    }
    const used = ctx.limiter.hit(key, 60);
    const reply = await handler(ctx, req);
    return { ...reply, headers: { ...reply.headers, 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, limit - used)) } };
  };
}

export function kioskRoutes(router: Router, ctx: SimContext): void {
  const add = (method: string, path: string, handler: Handler) => router.add(method, `/api/v1/kiosk${path}`, throttled(ctx, handler));
  add('GET', '/session/token', sessionToken);
  add('POST', '/session/guest', guestSession);
  add('POST', '/auth/pin', pinAuth);
  add('POST', '/maintenance/command', maintenanceCommand);
  add('GET', '/maintenance/status', maintenanceStatus);
  add('GET', '/config', config);
  add('POST', '/config/theme', theme);
  add('GET', '/logs', logs);
  if (ctx.settings.designed) add('GET', '/session/status', sessionStatus);
}
