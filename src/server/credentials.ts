/**
 * The machine's credentials: serial number, name and the API key from `rvm-credentials.json` (the file the
 * server's admin page exports) or from the configuration. The key lives in a private field, is only ever
 * turned into the `X-RVM-API-KEY` header by the API client, and prints as "[redacted]" through JSON,
 * util.inspect and String(), so it cannot leak into a log line or an event sent to the renderer.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';
import { describeZodError } from '../core/describe-error.js';
import { fileSecrets, readSecretFileSync, SecretStoreError, type SecretStore } from '../storage/secret-store.js';

export const credentialsFile = z.object({
  serial_number: z.string().min(1),
  api_key: z.string().min(16),
  name: z.string().min(1),
  generated_at: z.string().optional(),
});
export type CredentialsFile = z.infer<typeof credentialsFile>;

export class CredentialsError extends Error {}

export class RvmCredentials {
  readonly serialNumber: string;
  readonly name: string;
  readonly #apiKey: string;

  constructor(fields: CredentialsFile) {
    this.serialNumber = fields.serial_number;
    this.name = fields.name;
    this.#apiKey = fields.api_key;
  }

  /** The only way out for the key: as the edge auth header, inside the main process. */
  edgeAuthHeader(): Record<string, string> {
    return { 'X-RVM-API-KEY': this.#apiKey };
  }

  toJSON(): Record<string, string> {
    return { serialNumber: this.serialNumber, name: this.name, apiKey: '[redacted]' };
  }

  toString(): string {
    return `RvmCredentials(${this.serialNumber})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export function parseCredentials(raw: unknown, where: string): RvmCredentials {
  const parsed = credentialsFile.safeParse(raw);
  // describeZodError names fields and problems, never the received values, so the key cannot leak here.
  if (!parsed.success) throw new CredentialsError(`${where}: not valid MyRVM credentials (${describeZodError(parsed.error)})`);
  return new RvmCredentials(parsed.data);
}

/** Relative paths are tried against the working directory, then the data directory. */
export function resolveCredentialsPath(file: string, dataDir: string, cwd = process.cwd()): string | null {
  if (path.isAbsolute(file)) return existsSync(file) ? file : null;
  for (const candidate of [path.resolve(cwd, file), path.resolve(dataDir, file)]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** `secrets`: the host's store (src/storage/secret-store.ts), which opens a file the Electron kiosk sealed. */
export function loadCredentialsFile(file: string, secrets: SecretStore = fileSecrets): RvmCredentials {
  let text: string;
  try {
    text = readSecretFileSync(file, secrets);
  } catch (err) {
    if (err instanceof SecretStoreError) throw new CredentialsError(err.message);
    throw new CredentialsError(`cannot read credentials ${file}: ${(err as NodeJS.ErrnoException).code ?? 'read error'}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // V8's JSON error quotes the text around the fault, which may be the key itself: say less.
    throw new CredentialsError(`credentials ${file} is not valid JSON`);
  }
  return parseCredentials(raw, file);
}
