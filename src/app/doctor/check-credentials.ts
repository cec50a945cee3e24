/**
 * The machine's credentials: in remote mode the configured inline credentials or the rvm-credentials.json the
 * kiosk would load (never the key itself, only serial and name), and whether the file is private.
 */
import { statSync } from 'node:fs';
import { CredentialsError, loadCredentialsFile, parseCredentials, resolveCredentialsPath, type RvmCredentials } from '../../server/credentials.js';
import { errorText, fail, ok, warn, type CheckResult, type DoctorContext } from './types.js';

const ID = 'credentials';
const TITLE = 'credentials';
export const IMPORT_FIX = 'import the file the server\'s admin page exported for this machine: rvm-kiosk import-credentials /media/usb/rvm-credentials.json';

export function checkCredentials({ config, cwd }: DoctorContext): { result: CheckResult; credentials: RvmCredentials | null } {
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
    const credentials = loadCredentialsFile(file);
    const found = `${credentials.serialNumber} (${credentials.name}) in ${file}`;
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) return { result: warn(ID, TITLE, `${found}, readable by others (mode ${mode.toString(8)})`, `chmod 600 ${file}`), credentials };
    return { result: ok(ID, TITLE, found), credentials };
  } catch (err) {
    if (err instanceof CredentialsError) return { result: fail(ID, TITLE, err.message, `export the credentials again from the server's admin page and ${IMPORT_FIX.slice(IMPORT_FIX.indexOf('rvm-kiosk'))}`), credentials: null };
    return { result: fail(ID, TITLE, errorText(err), IMPORT_FIX), credentials: null };
  }
}
