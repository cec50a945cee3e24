/**
 * An installer's first step on a new machine: take the `rvm-credentials.json` the server's admin page exported
 * (from a USB stick, say), check it, and keep it in the data directory readable by the kiosk's user only (and
 * sealed, when the host's SecretStore seals: src/storage/secret-store.ts).
 * Written atomically and fsynced, so a power cut leaves either the old file or the new one.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileSecrets, writeSecretFile, type SecretStore } from '../storage/secret-store.js';
import { CredentialsError, credentialsFile, parseCredentials, type RvmCredentials } from './credentials.js';

export const IMPORTED_CREDENTIALS = 'rvm-credentials.json';

export async function importCredentials(source: string, dataDir: string, secrets: SecretStore = fileSecrets): Promise<{ file: string; credentials: RvmCredentials }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(source, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CredentialsError(code ? `cannot read ${source}: ${code}` : `${source} is not valid JSON`);
  }
  const credentials = parseCredentials(raw, source);
  // Keep only the known fields: the file is copied, not trusted.
  const clean = credentialsFile.parse(raw);
  const file = path.join(dataDir, IMPORTED_CREDENTIALS);
  await writeSecretFile(file, `${JSON.stringify(clean, null, 2)}\n`, secrets);
  return { file, credentials };
}
