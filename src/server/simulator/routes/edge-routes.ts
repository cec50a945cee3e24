/**
 * `/api/v1/edge/*` as MyRVM-Server answers them (contract §1), quirks included: nested handshake reply,
 * 500 when `ip_local` is left out, 422 for a non-IP `ip_vpn`, heartbeat 403 without an assignment,
 * commands handed out once, deposits stored but never credited, sync-offline with no duplicate check.
 */
import { createHash, createHmac } from 'node:crypto';
import { check, validationReply } from '../laravel-validation.js';
import { formBody, header, jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';

const INVALID_KEY_MESSAGE = 'Kunci API Tidak Valid. Silakan import ulang kredensial.';

/** ValidateRvmApiKey middleware (§1.1). */
export function edgeAuth(ctx: SimContext, req: SimRequest): SimReply | null {
  const key = header(req, 'x-rvm-api-key');
  if (!key) return json(401, { status: 'error', message: INVALID_KEY_MESSAGE, error_code: 'MISSING_API_KEY' });
  if (key !== ctx.state.machine.apiKey) return json(401, { status: 'error', message: INVALID_KEY_MESSAGE, error_code: 'INVALID_API_KEY' });
  if (ctx.state.machine.status === 'blocked' || ctx.state.machine.status === 'suspended') {
    return json(403, { status: 'error', message: 'Mesin ini diblokir oleh Server. Hubungi Admin.', error_code: 'MACHINE_BLOCKED' });
  }
  return null;
}

const handshakeRules = {
  hardware_id: ['required', 'string', { max: 100 }],
  name: ['required', 'string', { max: 255 }],
  ip_local: ['nullable', 'ip'],
  ip_vpn: ['nullable', 'ip'],
  timezone: ['nullable', 'string', { max: 50 }],
  system: ['nullable', 'array'],
  health_metrics: ['nullable', 'array'],
  'health_metrics.cpu_usage_percent': ['nullable', 'numeric', { min: 0 }, { max: 100 }],
  'health_metrics.memory_usage_percent': ['nullable', 'numeric', { min: 0 }, { max: 100 }],
  'health_metrics.disk_usage_percent': ['nullable', 'numeric', { min: 0 }, { max: 100 }],
  'health_metrics.cpu_temperature': ['nullable', 'numeric'],
  hardware_info: ['nullable', 'array'],
  diagnostics: ['nullable', 'array'],
} as const;

function handshake(ctx: SimContext, req: SimRequest): SimReply {
  const body = jsonBody(req);
  const invalid = check(body, handshakeRules as never);
  if (invalid) return invalid;
  const { state, settings } = ctx;
  // The DB updates run before the activity-log line that reads $validated['ip_local'] unguarded.
  state.handshakes.push(body);
  state.machine.status = 'online';
  state.machine.lastPing = ctx.now();
  state.lastHandshakeAt = ctx.now();
  state.edgeTimezone = typeof body.timezone === 'string' ? body.timezone : null;
  if (!('ip_local' in body)) return json(500, { message: 'Server Error' });
  const m = state.machine;
  const host = new URL(settings.publicUrl).host;
  const kioskUrl = `https://${host}/rvm-ui/${m.uuid}`;
  const tokenJson = JSON.stringify({ machine_id: m.id, serial: m.serialNumber, exp: Math.floor(ctx.now() / 1000) + 86_400 });
  const model = [...ctx.models.values()].at(-1);
  return json(200, {
    status: 'success',
    message: 'Handshake successful. Configuration synced.',
    data: {
      identity: { rvm_id: m.id, rvm_uuid: m.uuid, rvm_name: m.name },
      kiosk: { url: `${kioskUrl}?signature=${createHmac('sha256', settings.appSecret).update(kioskUrl).digest('hex')}`, timezone: state.edgeTimezone ?? 'Asia/Jakarta' },
      websocket: {
        channel: `rvm.${m.uuid}`,
        auth_token: `${Buffer.from(tokenJson).toString('base64')}.${createHmac('sha256', settings.appSecret).update(tokenJson).digest('hex')}`,
        host: new URL(settings.publicUrl).hostname,
        // Hard-coded in the real controller, whatever the server really runs.
        port: 443,
        scheme: 'wss',
      },
      policy: { ...state.policy, bin_full_threshold_percent: ctx.settings.binFullThresholdPercent },
      ai_model: {
        target_version: model?.version ?? 'v1.0.0',
        hash: model?.sha256 ?? null,
        update_source_url: model ? `${settings.publicUrl}/api/v1/edge/download-model/${model.sha256}` : null,
      },
    },
  });
}

function heartbeat(ctx: SimContext, req: SimRequest): SimReply {
  const { state } = ctx;
  if (!state.hasHeartbeatAssignment()) {
    return json(403, { status: 'error', message: 'Heartbeat rejected: No active technician assignment (Hak Akses RVM required).' });
  }
  const body = jsonBody(req);
  state.heartbeats.push(body);
  state.machine.status = 'online';
  state.machine.lastPing = ctx.now();
  if (typeof body.bin_capacity === 'number') state.machine.capacityPercentage = body.bin_capacity;
  // Cache::pull: handed out once, then gone.
  const commands = state.commandQueue.splice(0);
  return json(200, { status: 'success', server_time: jakartaIso(ctx.now()), commands });
}

const IMAGE_MAX_BYTES = 5120 * 1024;

function sniffImage(bytes: Uint8Array): 'jpg' | 'png' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return null;
}

async function deposit(ctx: SimContext, req: SimRequest): Promise<SimReply> {
  const form = await formBody(req);
  const fields = { status: form?.get('status') ?? jsonBody(req).status, data: form?.get('data') ?? jsonBody(req).data };
  const image = form?.get('image');
  const errors: Record<string, string[]> = {};
  let ext: 'jpg' | 'png' | null = null;
  let bytes = new Uint8Array();
  if (!(image instanceof Blob)) errors.image = ['The image field is required.'];
  else {
    bytes = new Uint8Array(await image.arrayBuffer());
    ext = sniffImage(bytes);
    if (!ext) errors.image = ['The image field must be an image.', 'The image field must be a file of type: jpeg, jpg, png.'];
    else if (bytes.length > IMAGE_MAX_BYTES) errors.image = ['The image field must not be greater than 5120 kilobytes.'];
  }
  if (typeof fields.status !== 'string' || fields.status === '') errors.status = ['The status field is required.'];
  if (fields.data === undefined || fields.data === null || fields.data === '') errors.data = ['The data field is required.'];
  if (Object.keys(errors).length) return validationReply(errors);
  let data: unknown = fields.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      /* the controller keeps a non-JSON string as is */
    }
  }
  const record = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const sessionId = (form?.get('session_id') as string | null) ?? (typeof record.session_id === 'string' ? record.session_id : null);
  ctx.state.deposits.push({
    clientId: typeof record.client_id === 'string' ? record.client_id : null,
    status: String(fields.status),
    sessionId,
    data,
    imageBytes: bytes.length,
    imageType: ext ?? '',
    at: ctx.now(),
  });
  const day = jakartaIso(ctx.now()).slice(0, 10);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 40);
  return json(201, {
    status: 'success',
    message: 'Deposit processed',
    data: { image_url: `/storage/deposits/${day}/${sessionId ?? 'unknown'}/${hash}.${ext}`, ai_result: data, processed_at: jakartaIso(ctx.now()) },
  });
}

function syncOffline(ctx: SimContext, req: SimRequest): SimReply {
  const transactions = jsonBody(req).transactions;
  if (!Array.isArray(transactions)) return json(422, { status: 'error', message: 'Invalid format' });
  const staged = [];
  // One DB transaction for the whole batch: a bad item rolls every row back.
  for (const t of transactions as Array<Record<string, unknown>>) {
    const items = Array.isArray(t?.items) ? (t.items as Array<Record<string, unknown>>) : [];
    for (const item of items) {
      for (const key of ['type', 'weight', 'points']) {
        if (!item || !(key in item)) return json(500, { status: 'error', message: `Undefined array key "${key}"` });
      }
      staged.push({
        clientId: typeof item.client_id === 'string' ? item.client_id : null,
        sessionId: typeof t.session_id === 'string' ? t.session_id : null,
        claimCode: typeof t.claim_code === 'string' ? t.claim_code : null,
        type: String(item.type),
        weight: Number(item.weight),
        points: Number(item.points),
        at: ctx.now(),
      });
    }
  }
  ctx.state.offlineItems.push(...staged);
  return json(200, { status: 'success', message: `Synced ${transactions.length} offline transactions`, synced_count: transactions.length });
}

export function edgeRoutes(router: Router, ctx: SimContext): void {
  const guarded = (handler: (ctx: SimContext, req: SimRequest) => SimReply | Promise<SimReply>) => (req: SimRequest) =>
    edgeAuth(ctx, req) ?? handler(ctx, req);
  router
    .add('POST', '/api/v1/edge/handshake', guarded(handshake))
    .add('POST', '/api/v1/edge/heartbeat', guarded(heartbeat))
    .add('POST', '/api/v1/edge/deposit', guarded(deposit))
    .add('POST', '/api/v1/edge/sync-offline', guarded(syncOffline));
}
