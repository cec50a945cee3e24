/**
 * Settings the installer chooses on screen (first-run setup: the server URL, the controller's serial port),
 * kept in <dataDir>/operator-settings.json. load-config reads them as a layer between the configuration file
 * and the environment, so a site's environment still wins and the file stays the installer's choice.
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

/** The stored settings, or {} when there is no file; a damaged file is an error naming it (never ignored). */
export function readOperatorSettings(dataDir: string): OperatorSettings {
  let text: string;
  try {
    text = readFileSync(operatorSettingsPath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const parsed = operatorSettings.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${operatorSettingsPath(dataDir)}: not valid operator settings (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  return parsed.data;
}

export async function writeOperatorSettings(dataDir: string, patch: OperatorSettings): Promise<OperatorSettings> {
  const current = readOperatorSettings(dataDir);
  const next = operatorSettings.parse({
    ...current,
    ...(patch.server ? { server: { ...current.server, ...patch.server } } : {}),
    ...(patch.hardware ? { hardware: { ...current.hardware, ...patch.hardware } } : {}),
  });
  await mkdir(dataDir, { recursive: true });
  const file = operatorSettingsPath(dataDir);
  await replaceFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  await chmod(file, 0o600);
  return next;
}
