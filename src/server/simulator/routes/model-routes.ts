/**
 * Model sync and download. On today's MyRVM-Server both sit behind a user (Sanctum) token, so a device
 * with only its API key gets `401 {"message":"Unauthenticated."}`; with designed extras on, the simulator
 * accepts the API key instead. The download serves the model file by its sha256 with HTTP Range support,
 * so an interrupted download can resume.
 */
import { header, json, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import { edgeAuth } from './edge-routes.js';

const UNAUTHENTICATED = json(401, { message: 'Unauthenticated.' });

function modelSync(ctx: SimContext, req: SimRequest): SimReply {
  const serial = req.query.get('device_serial');
  const name = req.query.get('model_name');
  const errors: Record<string, string[]> = {};
  if (!serial) errors.device_serial = ['The device serial field is required.'];
  if (!name) errors.model_name = ['The model name field is required.'];
  if (Object.keys(errors).length) return json(422, { message: Object.values(errors)[0]![0], errors });
  const model = [...ctx.models.values()].filter((m) => m.name === name).at(-1);
  if (!model) return json(200, { status: 'success', update_available: false, message: 'No active model found' });
  const current = req.query.get('current_version');
  if (current === model.version) return json(200, { status: 'success', update_available: false, current_version: current });
  return json(200, {
    status: 'success',
    update_available: true,
    data: {
      model_name: model.name,
      latest_version: model.version,
      current_version: current,
      file_path: `models/${model.name}/${model.version}.onnx`,
      file_size_mb: Math.round((model.bytes.length / 1_048_576) * 100) / 100,
      sha256_hash: model.sha256,
      download_url: `/api/v1/edge/download-model/${model.sha256}`,
      deployed_at: new Date(model.deployedAt).toISOString(),
    },
  });
}

/** Single byte ranges only ("bytes=start-end", "bytes=start-", "bytes=-suffix"): all a resuming client sends. */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!value) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
  }
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

function download(ctx: SimContext, req: SimRequest): SimReply {
  const model = ctx.models.get(req.params.hash ?? '');
  if (!model) return json(404, { status: 'error', message: 'Model not found' });
  const size = model.bytes.length;
  const base = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', ETag: `"${model.sha256}"` };
  const range = parseRange(header(req, 'range'), size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, raw: Buffer.alloc(0) };
  if (!range) return { status: 200, headers: base, raw: model.bytes };
  return {
    status: 206,
    headers: { ...base, 'Content-Range': `bytes ${range.start}-${range.end}/${size}` },
    raw: model.bytes.subarray(range.start, range.end + 1),
  };
}

export function modelRoutes(router: Router, ctx: SimContext): void {
  const gate = (handler: (ctx: SimContext, req: SimRequest) => SimReply) => (req: SimRequest) =>
    ctx.settings.designed ? (edgeAuth(ctx, req) ?? handler(ctx, req)) : UNAUTHENTICATED;
  router.add('GET', '/api/v1/edge/model-sync', gate(modelSync)).add('GET', '/api/v1/edge/download-model/{hash}', gate(download));
}
