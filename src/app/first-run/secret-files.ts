/**
 * The kiosk's own secret files in the data folder (the imported credentials, the installer PIN's hash), and
 * sealing those written in plain text once the host can seal (a file imported by `npx rvm-kiosk` in a checkout,
 * or before sealing existed). Files named by the configuration (server.credentialsFile elsewhere) are the
 * installer's own and are never rewritten.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { INSTALLER_PIN_FILE } from '../../maintenance/installer-pin.js';
import { IMPORTED_CREDENTIALS } from '../../server/import-credentials.js';
import { sealedEnvelope, writeSecretFile, type SecretStore } from '../../storage/secret-store.js';

export function kioskSecretFiles(dataDir: string): string[] {
  return [path.join(dataDir, IMPORTED_CREDENTIALS), path.join(dataDir, 'maintenance', INSTALLER_PIN_FILE)];
}

/** Seals each plain secret file in place (atomically). Returns the files sealed; a file it cannot read is left. */
export async function sealPlainSecretFiles(dataDir: string, secrets: SecretStore): Promise<string[]> {
  if (secrets.protection().kind === 'file') return [];
  const sealed: string[] = [];
  for (const file of kioskSecretFiles(dataDir)) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null || sealedEnvelope(text)) continue;
    await writeSecretFile(file, text, secrets);
    sealed.push(file);
  }
  return sealed;
}
