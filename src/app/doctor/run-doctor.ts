/**
 * `rvm-kiosk doctor`: loads the configuration exactly as the kiosk would, then runs the checks — the
 * independent ones side by side (controller, camera → model, server → clock, local machine) — each bounded
 * in time, and returns the rows in a fixed order. Nothing here prints: main/cli/doctor-print.ts makes the
 * table or the JSON. `ok` is false when any row failed (warnings and skipped rows do not count).
 */
import { spawnSync } from 'node:child_process';
import { checkCamera } from './check-camera.js';
import { checkConfig } from './check-config.js';
import { checkCredentials } from './check-credentials.js';
import { checkDataDir } from './check-data-dir.js';
import { checkDisk } from './check-disk.js';
import { checkDisplay } from './check-display.js';
import { checkGpu } from './check-gpu.js';
import { checkModel } from './check-model.js';
import { checkSerial } from './check-serial.js';
import { checkServer } from './check-server.js';
import { describeStartLine } from '../load-config.js';
import { errorText, fail, skip, withinMs, type CheckResult, type DoctorContext, type DoctorOptions, type DoctorReport, type RunProgram } from './types.js';

/** Rows that follow the configuration, in the order the table shows them (also what "skipped" lists). */
export const CHECK_ROWS: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'data-dir', title: 'data folder' },
  { id: 'credentials', title: 'credentials' },
  { id: 'serial-port', title: 'serial port' },
  { id: 'controller', title: 'controller ping' },
  { id: 'camera', title: 'camera' },
  { id: 'model', title: 'model + test inference' },
  { id: 'server', title: 'server reachable' },
  { id: 'handshake', title: 'handshake' },
  { id: 'heartbeat', title: 'heartbeat (commissioned)' },
  { id: 'clock', title: 'clock offset' },
  { id: 'disk', title: 'free disk' },
  { id: 'gpu', title: 'GPU mode' },
  { id: 'display', title: 'display sleep' },
];

export const runProgram: RunProgram = (command, args, env) => {
  const out = spawnSync(command, args, { env, encoding: 'utf8', timeout: 5_000 });
  if (out.error && (out.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  return { status: out.status, stdout: out.stdout ?? '' };
};

export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const started = performance.now();
  const at = new Date().toISOString();
  const source = options.configSource ?? {};
  const { result: configRow, loaded } = checkConfig(source);
  if (!loaded) {
    const checks = [configRow, ...CHECK_ROWS.map((r) => skip(r.id, r.title, 'not checked: the configuration is invalid'))];
    return { ok: false, at, durationMs: Math.round(performance.now() - started), config: null, checks };
  }
  const ctx: DoctorContext = { config: loaded.config, sources: loaded.sources, env: source.env ?? process.env, cwd: source.cwd ?? process.cwd(), ...(options.secrets ? { secrets: options.secrets } : {}) };
  const { result: credentialsRow, credentials } = checkCredentials(ctx);

  const guard = async (ids: string[], limitMs: number, what: string, work: () => Promise<CheckResult[]>): Promise<CheckResult[]> => {
    try {
      return await withinMs(limitMs, what, work());
    } catch (err) {
      const title = (id: string) => CHECK_ROWS.find((r) => r.id === id)?.title ?? id;
      return [fail(ids[0]!, title(ids[0]!), errorText(err), 'run the doctor again; if it repeats, report it with this output'), ...ids.slice(1).map((id) => skip(id, title(id), 'not reached'))];
    }
  };
  const det = ctx.config.detection;
  const [dataDir, serial, vision, server, disk] = await Promise.all([
    guard(['data-dir'], 10_000, 'the data folder check', async () => [await checkDataDir(ctx)]),
    guard(['serial-port', 'controller'], 30_000, 'the serial check', () => checkSerial(ctx)),
    guard(['camera', 'model'], det.captureTimeoutMs + det.inferenceTimeoutMs * 2 + 10_000, 'the camera and model check', async () => {
      const camera = await checkCamera(ctx);
      return [camera.result, await checkModel(ctx, camera.frame)];
    }),
    guard(['server', 'handshake', 'heartbeat', 'clock'], 40_000, 'the server check', () => checkServer(ctx, credentials)),
    guard(['disk'], 10_000, 'the disk check', async () => [await checkDisk(ctx)]),
  ]);
  const local = [checkGpu(ctx, options.gpuStateFile ?? null), checkDisplay(ctx, options.runProgram ?? runProgram)];

  const checks = [configRow, ...dataDir, credentialsRow, ...serial, ...vision, ...server, ...disk, ...local];
  return {
    ok: checks.every((c) => c.status !== 'fail'),
    at,
    durationMs: Math.round(performance.now() - started),
    config: { file: loaded.sources.file, env: loaded.sources.env, startLine: describeStartLine(loaded.config, loaded.sources), dataDir: loaded.config.dataDir },
    checks,
  };
}
