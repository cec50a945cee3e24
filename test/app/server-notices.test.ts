/** Realtime notices become screen codes and numbers; the server's own words never pass. */
import { describe, expect, it } from 'vitest';
import { toScreenNotice } from '../../src/app/server-notices.js';

describe('toScreenNotice', () => {
  it('maps item.processed to accepted/rejected with points and a known material only', () => {
    expect(toScreenNotice({ event: 'item.processed', payload: { accepted: false, item_type: 'unknown thing', points_awarded: 0, rejection_reason: 'Kotor' } }, 5)).toEqual({ code: 'item_rejected', points: 0, material: null, at: 5 });
    expect(toScreenNotice({ event: 'item.processed', payload: { accepted: true, item_type: 'Kaleng', points_awarded: 3 } }, 5)).toMatchObject({ code: 'item_accepted', points: 3, material: 'can' });
  });

  it('maps ui.update by its type, and drops a type it does not know', () => {
    expect(toScreenNotice({ event: 'ui.update', payload: { type: 'session_ended', payload: { text: 'Bye' } } }, 9)).toEqual({ code: 'session_ended', points: null, material: null, at: 9 });
    expect(toScreenNotice({ event: 'ui.update', payload: { type: 'firmware_update' } }, 9)).toBeNull();
  });
});
