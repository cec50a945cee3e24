/**
 * The designed backup endpoints (`rvms/{id}/backup/start|status|upload`), served only when the simulator
 * plays a server with the designs; without them these paths 404 like today's MyRVM-Server. Archives are
 * kept in memory, per simulator, and read back by tests with `simBackups(sim.state)`.
 */
import { createHash } from 'node:crypto';
import { check } from '../laravel-validation.js';
import { formBody, jakartaIso, json, jsonBody, type Router, type SimReply, type SimRequest } from '../http-kit.js';
import type { SimContext } from '../sim-context.js';
import type { SimState } from '../sim-state.js';
import { edgeAuth } from './edge-routes.js';

export interface SimBackup {
  id: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  status: 'started' | 'completed';
  bytes: Buffer | null;
  startedAt: number;
}

const store = new WeakMap<SimState, SimBackup[]>();

export function simBackups(state: SimState): SimBackup[] {
  let list = store.get(state);
  if (!list) store.set(state, (list = []));
  return list;
}

function rvmOr404(ctx: SimContext, req: SimRequest): SimReply | null {
  return Number(req.params.id) === ctx.state.machine.id ? null : json(404, { status: 'error', message: 'RVM not found' });
}

function start(ctx: SimContext, req: SimRequest): SimReply {
  const body = jsonBody(req);
  const invalid = check(body, { size_bytes: ['required', 'integer', { min: 0 }], sha256: ['required', 'string', { max: 64 }] });
  if (invalid) return invalid;
  const list = simBackups(ctx.state);
  const backup: SimBackup = {
    id: `bk_${list.length + 1}`, fileName: String(body.file_name ?? 'backup.tar.gz'), sizeBytes: Number(body.size_bytes), sha256: String(body.sha256),
    status: 'started', bytes: null, startedAt: ctx.now(),
  };
  list.push(backup);
  return json(201, { status: 'success', data: { backup_id: backup.id, status: backup.status } });
}

async function upload(ctx: SimContext, req: SimRequest): Promise<SimReply> {
  const form = await formBody(req);
  const file = form?.get('file');
  const backup = simBackups(ctx.state).find((b) => b.id === form?.get('backup_id'));
  if (!form || !(file instanceof Blob)) return json(422, { message: 'The file field is required.', errors: { file: ['The file field is required.'] } });
  if (!backup) return json(404, { status: 'error', message: 'Backup not found' });
  const bytes = Buffer.from(await file.arrayBuffer());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== backup.sha256) return json(422, { message: 'The file does not match its checksum.', errors: { file: ['checksum mismatch'] } });
  backup.bytes = bytes;
  backup.status = 'completed';
  return json(201, { status: 'success', data: { backup_id: backup.id, status: backup.status } });
}

function status(ctx: SimContext): SimReply {
  const last = simBackups(ctx.state).at(-1);
  return json(200, {
    status: 'success',
    data: { backup_id: last?.id ?? null, status: last?.status ?? 'none', sha256: last?.sha256 ?? null, last_backup_at: last ? jakartaIso(last.startedAt) : null },
  });
}

export function designedBackupRoutes(router: Router, ctx: SimContext): void {
  if (!ctx.settings.designed) return;
  const guard = (req: SimRequest) => edgeAuth(ctx, req) ?? rvmOr404(ctx, req);
  router
    .add('POST', '/api/v2/rvms/{id}/backup/start', (req) => guard(req) ?? start(ctx, req))
    .add('GET', '/api/v2/rvms/{id}/backup/status', (req) => guard(req) ?? status(ctx))
    .add('POST', '/api/v2/rvms/{id}/backup/upload', async (req) => guard(req) ?? upload(ctx, req));
}
