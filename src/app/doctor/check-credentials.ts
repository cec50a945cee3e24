/**
 * The machine's credentials: in remote mode the configured inline credentials or the rvm-credentials.json the
 * kiosk would load (never the key itself, only serial and name), whether the file is private, and how it rests:
 * sealed by Electron's safeStorage (with the OS keyring, or only obfuscated with the basic store) or plain 0600.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { IMPORTED_CREDENTIALS } from '../../server/import-credentials.js';
import { fileSecrets, sealedEnvelope, type SecretStore } from '../../storage/secret-store.js';
import { CredentialsError, loadCredentialsFile, parseCredentials, resolveCredentialsPath, type RvmCredentials } from '../../server/credentials.js';
import { errorText, fail, ok, warn, type CheckResult, type DoctorContext } from './types.js';

const ID = 'credentials';
const TITLE = 'credentials';
export const IMPORT_FIX = 'import the file the server\'s admin page exported for this machine: rvm-kiosk import-credentials /media/usb/rvm-credentials.json';

export function checkCredentials({ config, cwd, secrets = fileSecrets }: DoctorContext): { result: CheckResult; credentials: RvmCredentials | null } {
  const server = config.server;
  if (server.mode === 'simulator') return { result: ok(ID, TITLE, 'not needed: the server simulator makes its own'), credentials: null };
  try {
    if (server.credentials) {
      const credentials = parseCredentials(server.credentials, 'configuration server.credentials');
      return { result: ok(ID, TITLE, `${credentials.serialNumber} (${credentials.name}) from the configuration (server.credentials)`), credentials };
    }
    const file = resolveCredentialsPath(server.credentialsFile, config.dataDir, cwd);
    if (!file) {
      return { result: fail(ID, TITLE, `no ${server.credentialsFile} in ${cwd} or ${config.dataDir}`, IMPORT_FIX), credentials: null };
    }
    const credentials = loadCredentialsFile(file, secrets);
    const found = `${credentials.serialNumber} (${credentials.name}) in ${file}, ${restingForm(file, secrets, path.resolve(file) === path.resolve(config.dataDir, IMPORTED_CREDENTIALS))}`;
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) return { result: warn(ID, TITLE, `${found}, readable by others (mode ${mode.toString(8)})`, `chmod 600 ${file}`), credentials };
    return { result: ok(ID, TITLE, found), credentials };
  } catch (err) {
    if (err instanceof CredentialsError) return { result: fail(ID, TITLE, err.message, `export the credentials again from the server's admin page and ${IMPORT_FIX.slice(IMPORT_FIX.indexOf('rvm-kiosk'))}`), credentials: null };
    return { result: fail(ID, TITLE, errorText(err), IMPORT_FIX), credentials: null };
  }
}

/** How the file rests, in words an installer can act on (docs/configuration.md, "Secrets"). */
export function restingForm(file: string, secrets: SecretStore, imported: boolean): string {
  const sealed = sealedEnvelope(readFileSync(file, 'utf8'));
  if (!sealed) return secrets.protection().kind === 'safe-storage' && imported ? 'plain text (the kiosk seals it at its next start)' : 'plain text';
  if (sealed.backend === 'basic_text') return 'sealed by safeStorage with the basic store (obfuscation only: the 0600 mode is the protection)';
  return `sealed by safeStorage with the ${sealed.backend ?? 'OS'} keyring`;
}
