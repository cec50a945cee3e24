/**
 * `rvm-kiosk import-credentials FILE [--force]`: check the rvm-credentials.json the server's admin page
 * exported and store it in the data folder (0600, atomically). It refuses to replace the credentials of a
 * different machine (another serial number) unless --force is given: a kiosk silently becoming another
 * machine sends its credits to the wrong account. The same machine's new file (a new key) replaces the old one.
 * The packaged app seals the stored copy with safeStorage (opts.secrets, src/storage/secret-store.ts).
 * Never prints the key.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../../src/app/config-schema.js';
import { CredentialsError, loadCredentialsFile, resolveCredentialsPath, type RvmCredentials } from '../../src/server/credentials.js';
import { IMPORTED_CREDENTIALS, importCredentials } from '../../src/server/import-credentials.js';
import type { SecretStore } from '../../src/storage/secret-store.js';

export interface ImportOutcome {
  code: 0 | 1;
  lines: string[];
}

export async function importCredentialsCommand(source: string, config: KioskConfig, opts: { force: boolean; cwd: string; secrets?: SecretStore }): Promise<ImportOutcome> {
  let incoming: RvmCredentials;
  try {
    incoming = loadCredentialsFile(path.resolve(opts.cwd, source));
  } catch (err) {
    return { code: 1, lines: [`Not imported: ${(err as Error).message}`] };
  }
  const target = path.join(config.dataDir, IMPORTED_CREDENTIALS);
  const lines: string[] = [];
  if (existsSync(target)) {
    let current: RvmCredentials | null = null;
    try {
      current = loadCredentialsFile(target, opts.secrets);
    } catch (err) {
      if (!(err instanceof CredentialsError)) throw err;
      lines.push(`Replacing ${target}, which is not usable (${err.message}).`);
    }
    if (current && current.serialNumber !== incoming.serialNumber) {
      if (!opts.force) {
        return {
          code: 1,
          lines: [
            `Not imported: this kiosk already has the credentials of machine ${current.serialNumber} (${current.name}) in ${target},`,
            `and ${source} is for a different machine, ${incoming.serialNumber} (${incoming.name}).`,
            'Replacing them makes this kiosk that other machine: its credits and status would go to the other machine on the server.',
            'If that is what you want (this hardware now is that machine), run the command again with --force.',
          ],
        };
      }
      lines.push(`Replacing the credentials of machine ${current.serialNumber} (${current.name}) (--force).`);
    } else if (current) {
      lines.push(`Updating the credentials of this machine, ${current.serialNumber}.`);
    }
  }
  try {
    const { file, credentials } = await importCredentials(path.resolve(opts.cwd, source), config.dataDir, opts.secrets);
    lines.push(`Imported credentials for ${credentials.serialNumber} (${credentials.name}) into ${file}.`);
  } catch (err) {
    return { code: 1, lines: [...lines, `Not imported: ${(err as Error).message}`] };
  }
  lines.push(...afterImport(config, opts.cwd, target));
  return { code: 0, lines };
}

/** What the kiosk will really use: inline credentials or another file win over the imported one. */
function afterImport(config: KioskConfig, cwd: string, imported: string): string[] {
  const server = config.server;
  if (server.credentials) return ['Note: the configuration has inline server.credentials, which win over this file: remove them to use it.'];
  const used = resolveCredentialsPath(server.credentialsFile, config.dataDir, cwd);
  if (used && path.resolve(used) !== path.resolve(imported)) return [`Note: the kiosk loads ${used} first (server.credentialsFile); remove or replace it to use the imported file.`];
  if (server.mode !== 'remote') return ['Set "server": { "mode": "remote", "url": "https://<your server>" } in the configuration to use them, then run rvm-kiosk doctor.'];
  return ['Run rvm-kiosk doctor to test the connection.'];
}
