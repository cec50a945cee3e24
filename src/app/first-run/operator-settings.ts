/**
 * Settings the installer chooses on screen (first-run setup: the server URL, the controller's serial port),
 * kept in <dataDir>/operator-settings.json. load-config reads them as a layer between the configuration file
 * and the environment, so a site's environment still wins and the file stays the installer's choice.
 *
 * Where they are kept is the host's: an OperatorSettingsStore. The Electron kiosk keeps them with electron-store
 * (main/electron/operator-settings-store.ts, the product owner's choice), pointed at this same file, so the CLI
 * and the Node hosts (fileOperatorSettings below) read and write the very same JSON. Either way the values go
 * through the schema below on every read and write.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { replaceFileAtomic } from '../../storage/durable-fs.js';

export const OPERATOR_SETTINGS_FILE = 'operator-settings.json';

/** Only these keys, so a hand-edited file cannot configure anything else through this back door. */
export const operatorSettings = z
  .object({
    server: z.object({ mode: z.literal('remote').optional(), url: z.string().min(1).optional() }).strict().optional(),
    hardware: z
      .object({ mode: z.literal('serial').optional(), serial: z.object({ path: z.string().min(1) }).strict().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type OperatorSettings = z.infer<typeof operatorSettings>;

export function operatorSettingsPath(dataDir: string): string {
  return path.join(dataDir, OPERATOR_SETTINGS_FILE);
}

/** Where the settings rest: raw values in, raw values out; the schema is applied around it. */
export interface OperatorSettingsStore {
  /** The stored object, or {} when nothing is stored. Read errors other than "none" are thrown. */
  read(dataDir: string): unknown;
  write(dataDir: string, values: OperatorSettings): Promise<void>;
}

/** The Node hosts' store: the JSON file, written atomically and 0600. */
export const fileOperatorSettings: OperatorSettingsStore = {
  read(dataDir) {
    let text: string;
    try {
      text = readFileSync(operatorSettingsPath(dataDir), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    return JSON.parse(text) as unknown;
  },
  async write(dataDir, values) {
    await mkdir(dataDir, { recursive: true });
    const file = operatorSettingsPath(dataDir);
    await replaceFileAtomic(file, `${JSON.stringify(values, null, 2)}\n`);
    await chmod(file, 0o600);
  },
};

/** The stored settings, or {} when there are none; a damaged file is an error naming it (never ignored). */
export function readOperatorSettings(dataDir: string, store: OperatorSettingsStore = fileOperatorSettings): OperatorSettings {
  let raw: unknown;
  try {
    raw = store.read(dataDir);
  } catch (err) {
    if (err instanceof SyntaxError) throw new Error(`${operatorSettingsPath(dataDir)}: not valid JSON`);
    throw err;
  }
  const parsed = operatorSettings.safeParse(raw);
  if (!parsed.success) throw new Error(`${operatorSettingsPath(dataDir)}: not valid operator settings (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  return parsed.data;
}

export async function writeOperatorSettings(dataDir: string, patch: OperatorSettings, store: OperatorSettingsStore = fileOperatorSettings): Promise<OperatorSettings> {
  const current = readOperatorSettings(dataDir, store);
  const next = operatorSettings.parse({
    ...current,
    ...(patch.server ? { server: { ...current.server, ...patch.server } } : {}),
    ...(patch.hardware ? { hardware: { ...current.hardware, ...patch.hardware } } : {}),
  });
  await store.write(dataDir, next);
  return next;
}
