/**
 * The key the PIN lockout's MAC is made with. On a machine with MyRVM credentials it is derived from the API
 * key (HKDF-SHA256; the key itself is never logged nor written anywhere by this module); without credentials
 * (demo mode, or before they are imported) it is a random key kept in a file that is created once, 0600.
 *
 * A different key (credentials changed, key file deleted) does not verify the old state: the lockout treats
 * that like a damaged file, which locks the keypad for one window rather than resetting it.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { fsyncDir } from '../storage/durable-fs.js';

const log = createLogger('maintenance');
const KEY_BYTES = 32;

export type LockoutKeySource =
  /** A machine secret (the API key): the MAC key is derived from it, nothing is written. */
  | { secret: string }
  /** No machine secret: a random key in this file, created on first use. */
  | { keyFile: string };

export async function lockoutMacKey(source: LockoutKeySource): Promise<Buffer> {
  if ('secret' in source) return Buffer.from(hkdfSync('sha256', source.secret, 'rvm-kiosk', 'pin-lockout mac v2', KEY_BYTES));
  const existing = await readFile(source.keyFile, 'utf8').catch(() => null);
  if (existing !== null && /^[0-9a-f]{64}\s*$/.test(existing)) return Buffer.from(existing.trim(), 'hex');
  const key = randomBytes(KEY_BYTES);
  await writePrivateFile(source.keyFile, key.toString('hex'));
  log.warn(existing === null ? 'created the PIN lockout key file' : 'PIN lockout key file was unreadable; made a new one', { file: source.keyFile });
  return key;
}

/** Atomic, durable, and readable only by the kiosk's user from the first byte on. */
async function writePrivateFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.chmod(0o600); // an old tmp file keeps its mode through open(); make sure
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}
