/**
 * The installer's local PIN, set on the first-run setup screen: it opens maintenance mode even when the server
 * was never reached (a technician's server-issued PIN needs the server, or a cached hash of one). Stored as a
 * salted scrypt hash (never the PIN), 0600 and sealed when the host's SecretStore seals (src/storage/secret-store.ts);
 * the slow hash and the shared lockout make guessing expensive.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fileSecrets, readSecretFileSync, writeSecretFile, type SecretStore } from '../storage/secret-store.js';
import type { PinVerifier } from './pin-verifier.js';

export const INSTALLER_PIN_FILE = 'installer-pin.json';
export const INSTALLER_NAME = 'installer';
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const Stored = z.object({ salt: z.string(), hash: z.string(), setAt: z.number() });

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function setInstallerPin(file: string, pin: string, now = Date.now(), secrets: SecretStore = fileSecrets): Promise<void> {
  if (!/^\d{6}$/.test(pin)) throw new Error('the installer PIN is 6 digits');
  const salt = randomBytes(16);
  const hash = await derive(pin, salt);
  await writeSecretFile(file, `${JSON.stringify({ salt: salt.toString('base64'), hash: hash.toString('base64'), setAt: now })}\n`, secrets);
}

async function load(file: string, secrets: SecretStore): Promise<z.infer<typeof Stored> | null> {
  try {
    return Stored.parse(JSON.parse(readSecretFileSync(file, secrets)));
  } catch {
    return null;
  }
}

export async function hasInstallerPin(file: string, secrets: SecretStore = fileSecrets): Promise<boolean> {
  return (await load(file, secrets)) !== null;
}

export async function matchesInstallerPin(file: string, pin: string, secrets: SecretStore = fileSecrets): Promise<boolean> {
  const stored = await load(file, secrets);
  if (!stored) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const got = await derive(pin, Buffer.from(stored.salt, 'base64'));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * The installer PIN first, offline and without the server; any other PIN goes on to the technician verifier.
 * A wrong PIN is judged by the server path as before, so the lockout counts it once.
 */
export function withInstallerPin(verify: PinVerifier, file: string, secrets: SecretStore = fileSecrets): PinVerifier {
  return async (pin) => ((await matchesInstallerPin(file, pin, secrets)) ? { kind: 'ok', technicianName: INSTALLER_NAME } : verify(pin));
}
