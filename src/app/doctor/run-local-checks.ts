/**
 * The doctor's checks that make sense while the kiosk itself is not running — for the "cannot start" screen,
 * which must say what is wrong without the core, the camera, the model or the server: configuration, data folder,
 * credentials, serial port present and permitted (not opened: a half-started kiosk may still hold it), free disk.
 * Each is bounded in time, like the full doctor (run-doctor.ts), and nothing here throws.
 */
import { checkConfig } from './check-config.js';
import { checkCredentials } from './check-credentials.js';
import { checkDataDir } from './check-data-dir.js';
import { checkDisk } from './check-disk.js';
import { checkSerialPort, type CanOpen } from './check-serial.js';
import { errorText, fail, skip, withinMs, type CheckResult, type DoctorContext, type DoctorOptions } from './types.js';

export interface LocalChecksOptions extends Pick<DoctorOptions, 'configSource' | 'secrets'> {
  /** Injectable for tests (they run as root, where access() always agrees). */
  canOpen?: CanOpen;
  /** Upper bound for each check (a hung USB disk or device node must not hold the screen). */
  limitMs?: number;
}

const ROWS = [
  { id: 'data-dir', title: 'data folder' },
  { id: 'credentials', title: 'credentials' },
  { id: 'serial-port', title: 'serial port' },
  { id: 'disk', title: 'free disk' },
] as const;

export async function runLocalChecks(options: LocalChecksOptions = {}): Promise<CheckResult[]> {
  const source = options.configSource ?? {};
  const { result: configRow, loaded } = checkConfig(source);
  if (!loaded) return [configRow, ...ROWS.map((r) => skip(r.id, r.title, 'not checked: the configuration is invalid'))];
  const ctx: DoctorContext = { config: loaded.config, sources: loaded.sources, env: source.env ?? process.env, cwd: source.cwd ?? process.cwd(), ...(options.secrets ? { secrets: options.secrets } : {}) };
  const limitMs = options.limitMs ?? 5_000;
  const bounded = async (row: (typeof ROWS)[number], work: () => Promise<CheckResult>): Promise<CheckResult> => {
    try {
      return await withinMs(limitMs, `the ${row.title} check`, work());
    } catch (err) {
      return fail(row.id, row.title, errorText(err), 'run rvm-kiosk doctor on this machine');
    }
  };
  const rows = await Promise.all([
    bounded(ROWS[0], () => checkDataDir(ctx)),
    bounded(ROWS[1], async () => checkCredentials(ctx).result),
    bounded(ROWS[2], async () => (await checkSerialPort(loaded.config.hardware, options.canOpen)).row),
    bounded(ROWS[3], () => checkDisk(ctx)),
  ]);
  return [configRow, ...rows];
}
