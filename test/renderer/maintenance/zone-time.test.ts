import { describe, expect, it } from 'vitest';
import { OutboxRange } from '../../../src/contract/outbox.js';
import { formatAt, formatDuration, startOfDay, startOfTodayIso, wallTime, zoneOffsetMs } from '../../../renderer/src/screens/maintenance/zone-time.js';

const at = (iso: string) => Date.parse(iso);

describe('"push today" range: the start of the machine\'s day', () => {
  it('is local midnight with the zone\'s offset, whatever zone the browser runs in', () => {
    expect(startOfTodayIso(at('2026-01-31T12:00:00Z'), 'Asia/Jakarta')).toBe('2026-01-31T00:00:00+07:00');
    expect(startOfTodayIso(at('2026-01-31T12:00:00Z'), 'Asia/Makassar')).toBe('2026-01-31T00:00:00+08:00');
    expect(startOfTodayIso(at('2026-01-31T12:00:00Z'), 'Asia/Jayapura')).toBe('2026-01-31T00:00:00+09:00');
    expect(startOfTodayIso(at('2026-01-31T12:00:00Z'), 'America/St_Johns')).toBe('2026-01-31T00:00:00-03:30');
  });

  it('turns over exactly at local midnight, not at UTC midnight', () => {
    // 23:59:59 WIB is still the 31st; one second later the machine's day is 1 February.
    expect(startOfTodayIso(at('2026-01-31T16:59:59Z'), 'Asia/Jakarta')).toBe('2026-01-31T00:00:00+07:00');
    expect(startOfTodayIso(at('2026-01-31T17:00:00Z'), 'Asia/Jakarta')).toBe('2026-02-01T00:00:00+07:00');
    // 23:00 UTC on the 31st is already 06:00 on the 1st in Jakarta.
    expect(startOfTodayIso(at('2026-01-31T23:00:00Z'), 'Asia/Jakarta')).toBe('2026-02-01T00:00:00+07:00');
  });

  it('uses midnight\'s own offset on a day the clocks changed later on', () => {
    // Berlin went from +01:00 to +02:00 at 02:00 local on 29 March 2026: at noon the offset is +02:00,
    // but the day began at +01:00.
    expect(zoneOffsetMs(at('2026-03-29T12:00:00Z'), 'Europe/Berlin')).toBe(2 * 3_600_000);
    expect(startOfTodayIso(at('2026-03-29T12:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T00:00:00+01:00');
    expect(startOfTodayIso(at('2026-10-25T12:00:00Z'), 'Europe/Berlin')).toBe('2026-10-25T00:00:00+02:00');
  });

  it('is the first instant of today in zones with DST, half-hour offsets, or a skipped midnight', () => {
    const zones = ['Asia/Jakarta', 'Europe/Berlin', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    const sameDate = (a: ReturnType<typeof wallTime>, b: ReturnType<typeof wallTime>) => a.year === b.year && a.month === b.month && a.day === b.day;
    const wrong: string[] = [];
    // Every 5 h 17 min through 2026, so each hour of the day (and each DST change day) is visited.
    for (const zone of zones) {
      for (let now = at('2026-01-01T00:00:00Z'); now < at('2027-01-01T00:00:00Z'); now += 5 * 3_600_000 + 17 * 60_000) {
        const start = startOfDay(now, zone);
        const today = wallTime(now, zone);
        const ok = start <= now && sameDate(wallTime(start, zone), today) && !sameDate(wallTime(start - 1000, zone), today);
        if (!ok) wrong.push(`${zone} at ${new Date(now).toISOString()}: ${new Date(start).toISOString()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names the same instant it computed, in a form outbox.push accepts', () => {
    for (const zone of ['Asia/Jakarta', 'America/St_Johns', 'Europe/Berlin', 'UTC']) {
      const now = at('2026-03-29T12:34:56Z');
      const from = startOfTodayIso(now, zone);
      expect(Date.parse(from)).toBe(startOfDay(now, zone));
      expect(OutboxRange.parse({ from }).from).toBe(from);
    }
  });
});

describe('maintenance time text', () => {
  it('shows the time in the machine zone, with the date when it is not today', () => {
    const now = at('2026-01-31T13:00:00Z');
    expect(formatAt(at('2026-01-31T12:00:00Z'), now, 'Asia/Jakarta')).toBe('19:00:00');
    expect(formatAt(at('2026-01-30T12:00:00Z'), now, 'Asia/Jakarta')).toBe('30/01/2026 19:00:00');
  });

  it('counts down in minutes and seconds, never below zero', () => {
    expect(formatDuration(9_000)).toBe('0:09');
    expect(formatDuration(599_001)).toBe('10:00');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5_000)).toBe('0:00');
  });
});
