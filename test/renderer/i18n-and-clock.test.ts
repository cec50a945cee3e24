import { describe, expect, it } from 'vitest';
import { translate } from '../../renderer/src/i18n/strings.js';
import { tables } from '../../renderer/src/i18n/tables.js';
import { formatClock, monotonicDisplay } from '../../renderer/src/time/format.js';

describe('UI strings', () => {
  it('has the same keys in Bahasa Indonesia and English', () => {
    expect(Object.keys(tables.en).sort()).toEqual(Object.keys(tables.id).sort());
  });

  it('fills placeholders and falls back to the key when a string is missing', () => {
    expect(translate('en', 'session.timeoutIn', { seconds: 12 })).toBe('Ends in 12 s');
    expect(translate('id', 'session.timeoutIn', { seconds: 12 })).toBe('Berakhir dalam 12 detik');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});

describe('clock text', () => {
  it('formats in the machine zone, not the browser zone', () => {
    const noonUtc = Date.UTC(2026, 0, 31, 12, 0, 0);
    expect(formatClock(noonUtc, 'Asia/Jakarta', 'en-GB').time).toBe('19:00:00');
    expect(formatClock(noonUtc, 'Asia/Makassar', 'en-GB').time).toBe('20:00:00');
    expect(formatClock(noonUtc, 'Asia/Jayapura', 'id-ID').time).toBe('21:00:00');
    expect(formatClock(noonUtc, 'Asia/Jakarta', 'id-ID').date).toContain('Januari 2026');
  });

  it('never shows an earlier time than it already showed when the offset shrinks', () => {
    const shown = monotonicDisplay(0, 1_000_000, 5_000);
    expect(monotonicDisplay(shown, 1_000_500, 0)).toBe(shown);
    expect(monotonicDisplay(shown, 1_006_000, 0)).toBe(1_006_000);
  });
});
