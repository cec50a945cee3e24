/**
 * Where first-run credentials come from: a `rvm-credentials.json` on a USB drive (the drives and the
 * credential-looking files on each are listed; only a listed file may be imported), or the fields typed on the
 * on-screen keyboard. Either way the file is validated and written 0600 (sealed when the host's SecretStore
 * seals) by src/server/import-credentials.ts's rules; the API key is never returned or logged.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { credentialsFile, CredentialsError, parseCredentials, type RvmCredentials } from '../../server/credentials.js';
import { IMPORTED_CREDENTIALS, importCredentials } from '../../server/import-credentials.js';
import { fileSecrets, writeSecretFile, type SecretStore } from '../../storage/secret-store.js';
import { isInsideMount, listUsbMounts, type UsbMount } from '../../storage/usb-mounts.js';

/** A credentials file is a few hundred bytes; anything large is not one and is not read. */
const MAX_BYTES = 64 * 1024;

export interface UsbCredentialDrive extends UsbMount {
  files: string[];
}

export type ImportFailure = 'not_found' | 'unreadable' | 'invalid' | 'write_failed';
export type ImportOutcome = { ok: true; credentials: RvmCredentials } | { ok: false; error: ImportFailure };

export async function listCredentialDrives(extraDirs: readonly string[]): Promise<UsbCredentialDrive[]> {
  const drives = await listUsbMounts({ extra: extraDirs });
  return Promise.all(drives.map(async (drive) => ({ ...drive, files: await credentialFilesIn(drive.dir) })));
}

/** *.json files at the top of the drive that parse as MyRVM credentials (where installers put them). */
async function credentialFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || info.size > MAX_BYTES) continue;
    const raw = await readFile(file, 'utf8').then((t) => JSON.parse(t) as unknown, () => null);
    if (credentialsFile.safeParse(raw).success) found.push(file);
  }
  return found;
}

export async function importFromDrive(file: string, extraDirs: readonly string[], dataDir: string, secrets: SecretStore = fileSecrets): Promise<ImportOutcome> {
  const drives = await listUsbMounts({ extra: extraDirs });
  if (!isInsideMount(file, drives)) return { ok: false, error: 'not_found' };
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return { ok: false, error: 'not_found' };
  if (info.size > MAX_BYTES) return { ok: false, error: 'invalid' };
  try {
    const { credentials } = await importCredentials(file, dataDir, secrets);
    return { ok: true, credentials };
  } catch (err) {
    if (err instanceof CredentialsError) return { ok: false, error: /cannot read/.test(err.message) ? 'unreadable' : 'invalid' };
    return { ok: false, error: 'write_failed' };
  }
}

export async function importTyped(fields: { serialNumber: string; apiKey: string }, dataDir: string, secrets: SecretStore = fileSecrets): Promise<ImportOutcome> {
  const raw = { serial_number: fields.serialNumber.trim(), api_key: fields.apiKey.trim(), name: fields.serialNumber.trim(), generated_at: new Date().toISOString() };
  let credentials: RvmCredentials;
  try {
    credentials = parseCredentials(raw, 'typed credentials');
  } catch {
    return { ok: false, error: 'invalid' };
  }
  try {
    await writeSecretFile(path.join(dataDir, IMPORTED_CREDENTIALS), `${JSON.stringify(raw, null, 2)}\n`, secrets);
  } catch {
    return { ok: false, error: 'write_failed' };
  }
  return { ok: true, credentials };
}

/** An http(s) URL, or null: a typo here would only show up later as "unreachable". */
export function normalizeServerUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString().replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}
