/**
 * A guest session's claim code: what lets the MyRVM app claim the session's points later. It is shown as a
 * QR and as text a person can type, so it is short and uses an alphabet without look-alikes (none of 0/O,
 * 1/I/L, 5/S, 8/B, U/V, and no 2 so that Z stays unmistakable): 8 characters from 24 symbols is about 2^36
 * codes, drawn from crypto randomness, so one cannot be guessed from another. The code travels with every credit of the session (custody record →
 * credit → the deposit's `claim_code`), which is how the server ties the points to it.
 */
import { randomInt } from 'node:crypto';

export const CLAIM_ALPHABET = '34679ACDEFGHJKMNPQRTWXYZ';
export const CLAIM_CODE_LENGTH = 8;

export function newClaimCode(): string {
  let code = '';
  for (let i = 0; i < CLAIM_CODE_LENGTH; i += 1) code += CLAIM_ALPHABET[randomInt(CLAIM_ALPHABET.length)];
  return code;
}

/** Whether `text` is a well-formed claim code (after `normalizeClaimCode`). */
export function isClaimCode(text: string): boolean {
  return new RegExp(`^[${CLAIM_ALPHABET}]{${CLAIM_CODE_LENGTH}}$`).test(text);
}

/**
 * What a person typed, as the code: upper case, spaces and dashes dropped (the screen may group it as
 * XXXX-XXXX). Look-alikes are not guessed at: a code with one is simply not valid.
 */
export function normalizeClaimCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** The code grouped for reading aloud or typing: `ABCD-EFGH`. */
export function formatClaimCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What the claim QR encodes: a URL the MyRVM app opens (`myrvm://claim?code=…&rvm=…`), naming the machine so
 * the app can say where the points came from. A phone without the app shows the text, and the code in it.
 */
export function claimUrl(code: string, machine: string): string {
  return `myrvm://claim?code=${encodeURIComponent(code)}&rvm=${encodeURIComponent(machine)}`;
}

/** A fresh code and its URL, as the session state carries them. */
export function newClaim(machine: string): { claimCode: string; claimUrl: string } {
  const claimCode = newClaimCode();
  return { claimCode, claimUrl: claimUrl(claimCode, machine) };
}
