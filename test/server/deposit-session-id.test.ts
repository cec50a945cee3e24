/** A credit that carries the server's guest id sends it as session_id, on the deposit and the offline batch alike. */
import { describe, expect, it } from 'vitest';
import { depositData, toTransactions, type ClaimableCredit } from '../../src/server/deposit-sender.js';

const credit = (over: Partial<ClaimableCredit>): ClaimableCredit => ({
  id: 'c1', sessionId: 'kiosk-uuid', material: 'pet', points: 10, weightGrams: 25, confidence: 0.9, at: '2025-01-01T00:00:00.000Z', ...over,
});

describe('session_id sent with a credit', () => {
  it("is the server's guest id when the session has one, else the kiosk's own", () => {
    expect(depositData(credit({ serverSessionId: 'guest_abc' })).session_id).toBe('guest_abc');
    expect(depositData(credit({})).session_id).toBe('kiosk-uuid');
  });

  it('groups offline items by the id the server knows', () => {
    const out = toTransactions([credit({ id: 'a', serverSessionId: 'guest_abc' }), credit({ id: 'b', serverSessionId: 'guest_abc' }), credit({ id: 'c' })]);
    expect(out.map((t) => [t.session_id, t.items.length])).toEqual([['guest_abc', 2], ['kiosk-uuid', 1]]);
  });
});
