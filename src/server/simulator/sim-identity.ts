/**
 * Fresh identities for a simulated machine, made the way MyRVM-Server makes them: a 64-character
 * letters-and-digits API key (Laravel's Str::random(64)), a serial RVM-YYYYMM-NNN, a v4 UUID and a
 * zero-padded 6-digit PIN. Never copied from anywhere: every start makes new ones.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function generateApiKey(): string {
  return randomAlphanumeric(64);
}

export function generateSerial(at = new Date(), sequence = randomInt(1, 1000)): string {
  const ym = `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
  return `RVM-${ym}-${String(sequence).padStart(3, '0')}`;
}

export function generatePin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function generateUuid(): string {
  return randomUUID();
}

/** The kiosk session token: 64 lowercase hex, like sha256(uuid+random+microtime). */
export function generateSessionToken(): string {
  return randomBytes(32).toString('hex');
}

export function generatePusherAppKey(): string {
  return randomAlphanumeric(20).toLowerCase();
}
