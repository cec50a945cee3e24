/**
 * Where the kiosk's own secrets rest: the imported machine credentials (the API key) and the installer PIN's
 * hash. The host decides how they are protected and passes a SecretStore in (createKiosk's `secrets`, the
 * CLI's `io.secrets`); `src/` never imports electron, so it only knows this port:
 *
 *   - fileSecrets (Node: the browser host, headless mode, a checkout's CLI, tests): the plain JSON text, in a
 *     file only the kiosk's user may read (0600). The file mode is the whole protection.
 *   - main/electron/safe-storage-secrets.ts (the Electron kiosk and the packaged CLI): the text sealed with
 *     Electron's safeStorage inside a small JSON envelope, still 0600. With a real OS keyring the key lives
 *     there; with `--password-store=basic` (what a kiosk without a keyring uses) the key is a constant built
 *     into Chromium, so sealing only keeps the key out of plain sight (grep, a copied folder): obfuscation.
 *
 * Every reader accepts both forms, so a file written by the Node host (or before sealing existed) keeps
 * working under Electron, and a sealed file read where it cannot be opened is an error that says why.
 */
import { chmod, mkdir, open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { replaceFileAtomic } from './durable-fs.js';

export interface SecretProtection {
  /** `file`: plain text in a 0600 file. `safe-storage`: sealed by Electron's safeStorage, in a 0600 file. */
  kind: 'file' | 'safe-storage';
  /** Linux's safeStorage backend (`basic_text`, `gnome_libsecret`, `kwallet5`…), when sealed. */
  backend: string | null;
  /** True only when a key held outside the file protects it (an OS keyring); basic_text is not. */
  encrypted: boolean;
}

export interface SecretStore {
  protection(): SecretProtection;
  /** The file text that keeps `plain` (written 0600 by writeSecretFile). */
  seal(plain: string): string;
  /** The plain text of a secret file's text; throws SecretStoreError when it cannot be opened here. */
  open(fileText: string, file: string): string;
}

export class SecretStoreError extends Error {}

/** The envelope a sealed file holds. `rvmSealed` marks it; `data` is the sealed bytes in base64. */
export interface SealedEnvelope {
  rvmSealed: 1;
  with: 'electron-safeStorage';
  backend: string | null;
  data: string;
}

export function sealedEnvelope(fileText: string): SealedEnvelope | null {
  if (!fileText.includes('"rvmSealed"')) return null; // plain credentials or PIN JSON: skip the parse
  try {
    const value = JSON.parse(fileText) as Partial<SealedEnvelope> | null;
    return value && value.rvmSealed === 1 && typeof value.data === 'string' ? (value as SealedEnvelope) : null;
  } catch {
    return null;
  }
}

export function envelopeText(backend: string | null, sealed: Buffer): string {
  const envelope: SealedEnvelope = { rvmSealed: 1, with: 'electron-safeStorage', backend, data: sealed.toString('base64') };
  return `${JSON.stringify(envelope)}\n`;
}

/** The Node hosts' store: plain text, 0600. It cannot open a sealed file, and says where it can be opened. */
export const fileSecrets: SecretStore = {
  protection: () => ({ kind: 'file', backend: null, encrypted: false }),
  seal: (plain) => plain,
  open(fileText, file) {
    const sealed = sealedEnvelope(fileText);
    if (!sealed) return fileText;
    throw new SecretStoreError(
      `${file} is sealed by the Electron kiosk's safeStorage (${sealed.backend ?? 'unknown store'}) and cannot be opened by this Node process: run the packaged kiosk's own command (/opt/rvm/current/rvm-kiosk …), or import the credentials again here`,
    );
  },
};

/** Write a secret atomically (fsynced, a power cut leaves the old or the new file), readable by its owner only. */
export async function writeSecretFile(file: string, plain: string, secrets: SecretStore = fileSecrets): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // replaceFileAtomic writes `<file>.tmp` then renames it: made 0600 first, the secret is never readable by others.
  await (await open(`${file}.tmp`, 'w', 0o600)).close();
  await chmod(`${file}.tmp`, 0o600);
  await replaceFileAtomic(file, secrets.seal(plain));
  await chmod(file, 0o600);
}

/** The plain text of a secret file. Read errors are the caller's (ENOENT means "none yet" there). */
export function readSecretFileSync(file: string, secrets: SecretStore = fileSecrets): string {
  return secrets.open(readFileSync(file, 'utf8'), file);
}
