/** Claim codes: short, unambiguous, random; and the URL the claim QR encodes. */
import { describe, expect, it } from 'vitest';
import { CLAIM_ALPHABET, claimUrl, formatClaimCode, isClaimCode, newClaim, newClaimCode, normalizeClaimCode } from '../../src/session/claim-code.js';

describe('claim code', () => {
  it('is 8 characters from an alphabet without look-alikes', () => {
    for (const confusable of '0O1IL25S8BUV') expect(CLAIM_ALPHABET).not.toContain(confusable);
    expect(new Set(CLAIM_ALPHABET).size).toBe(CLAIM_ALPHABET.length);
    for (let i = 0; i < 200; i += 1) {
      const code = newClaimCode();
      expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTWXYZ]{8}$/);
      expect(isClaimCode(code)).toBe(true);
    }
  });

  it('is drawn at random: a thousand codes do not repeat and use the whole alphabet', () => {
    const codes = Array.from({ length: 1000 }, newClaimCode);
    expect(new Set(codes).size).toBe(1000);
    expect(new Set(codes.join('')).size).toBe(CLAIM_ALPHABET.length);
  });

  it('reads back what a person typed, grouped or in lower case, and refuses look-alikes', () => {
    const code = newClaimCode();
    expect(normalizeClaimCode(formatClaimCode(code).toLowerCase())).toBe(code);
    expect(formatClaimCode('ACDEFGHJ')).toBe('ACDE-FGHJ');
    expect(isClaimCode(normalizeClaimCode('acde fgh0'))).toBe(false);
    expect(isClaimCode('ACDEFGH')).toBe(false);
  });

  it('builds the QR content as a myrvm:// URL naming the code and the machine, escaped', () => {
    expect(claimUrl('ACDEFGHJ', 'RVM Pasar Baru & Co')).toBe('myrvm://claim?code=ACDEFGHJ&rvm=RVM%20Pasar%20Baru%20%26%20Co');
    const { claimCode, claimUrl: url } = newClaim('RVM-202601-006');
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('myrvm:');
    expect(parsed.searchParams.get('code')).toBe(claimCode);
    expect(parsed.searchParams.get('rvm')).toBe('RVM-202601-006');
  });
});
