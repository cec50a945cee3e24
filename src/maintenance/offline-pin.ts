/**
 * Technician entry while the server is unreachable — exactly when a technician is most needed. After a PIN
 * the server accepted, we keep a salted scrypt hash of it (never the PIN) with an expiry; when the server
 * cannot judge a PIN, the hash can. A 6-digit PIN hash is not strong against someone who already has the
 * disk, so the hash is slow (scrypt) and short-lived, and the same lockout counts offline guesses.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import { replaceFileAtomic } from '../storage/durable-fs.js';
import type { PinResult, PinVerifier } from './pin-verifier.js';

const log = createLogger('maintenance.offline');
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const Cached = z.object({ salt: z.string(), hash: z.string(), technicianName: z.string(), validUntil: z.number() });
type Cached = z.infer<typeof Cached>;

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));
}

async function load(file: string): Promise<Cached | null> {
  try {
    return Cached.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

export interface OfflinePinOptions {
  file: string;
  /** How long a server-accepted PIN also works offline. 0 turns offline entry off. */
  validityMs: number;
  now?: () => number;
}

/** Wraps the server's verifier: remembers accepted PINs, and answers for the server while it is away. */
export function withOfflineFallback(verify: PinVerifier, { file, validityMs, now = Date.now }: OfflinePinOptions): PinVerifier {
  return async (pin) => {
    const result = await verify(pin);
    if (validityMs <= 0) return result;
    if (result.kind === 'ok') {
      const salt = randomBytes(16);
      const entry: Cached = { salt: salt.toString('hex'), hash: (await derive(pin, salt)).toString('hex'), technicianName: result.technicianName, validUntil: now() + validityMs };
      await replaceFileAtomic(file, JSON.stringify(entry));
      return result;
    }
    // A wrong PIN online says nothing about the remembered one (anyone can type a wrong PIN), so it stays
    // until its validity — the lifetime of a server-issued PIN — runs out.
    if (result.kind !== 'unavailable') return result;
    const cached = await load(file);
    if (!cached || cached.validUntil <= now()) return result;
    const match = timingSafeEqual(await derive(pin, Buffer.from(cached.salt, 'hex')), Buffer.from(cached.hash, 'hex'));
    if (!match) return { kind: 'wrong' } satisfies PinResult;
    log.info('technician PIN accepted offline', { technician: cached.technicianName });
    return { kind: 'ok', technicianName: cached.technicianName, expiresAt: cached.validUntil };
  };
}
