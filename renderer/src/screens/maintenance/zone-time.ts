/**
 * Times on the maintenance screen are shown, and "today" is computed, in the machine's zone (the IANA name
 * from `clock.state`), never the browser's: the Jetson's OS zone need not be the one the server assigned,
 * and the technician compares these times with the server's dashboard. All inputs are server-synced epoch
 * ms (device time + clock offset).
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date and clock reading in `timeZone` at an instant. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts = partsIn(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** How far the zone's clock is ahead of UTC at an instant, in ms (Asia/Jakarta: +7 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallTime(epochMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epochMs / 1000) * 1000;
}

const HOUR = 3_600_000;
const sameDay = (a: WallTime, b: WallTime) => a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * The first instant of the zone's current calendar day. Midnight's offset can differ from now's (a DST
 * change earlier today), and in a few zones midnight itself is skipped (clocks go 23:59 → 01:00), so every
 * offset in force around midnight is tried and the earliest instant that already falls on today wins.
 */
export function startOfDay(nowMs: number, timeZone: string): number {
  const today = wallTime(nowMs, timeZone);
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day);
  const offsets = new Set([-14 * HOUR, 0, 14 * HOUR].map((d) => zoneOffsetMs(midnightAsUtc + d, timeZone)));
  const candidates = [...offsets].map((offset) => midnightAsUtc - offset).filter((at) => sameDay(wallTime(at, timeZone), today));
  return candidates.length > 0 ? Math.min(...candidates) : midnightAsUtc - zoneOffsetMs(nowMs, timeZone);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** ISO 8601 with the zone's own offset, e.g. 2026-01-31T00:00:00+07:00, as `outbox.push` accepts it. */
export function isoWithOffset(epochMs: number, timeZone: string): string {
  const w = wallTime(epochMs, timeZone);
  const offsetMinutes = Math.round(zoneOffsetMs(epochMs, timeZone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${offset}`;
}

/** `from` for "push today": the start of the machine's day as ISO with offset. */
export function startOfTodayIso(nowMs: number, timeZone: string): string {
  return isoWithOffset(startOfDay(nowMs, timeZone), timeZone);
}

/** "14:05:09" when `epochMs` is on the same day as `nowMs`, else "30/01 14:05" (both in the zone). */
export function formatAt(epochMs: number, nowMs: number, timeZone: string): string {
  const w = wallTime(epochMs, timeZone);
  const time = `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  return sameDay(w, wallTime(nowMs, timeZone)) ? time : `${pad(w.day)}/${pad(w.month)}/${w.year} ${time}`;
}

/** Countdown text: "0:09", "9:58", "1:02:03". Negative durations show as 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
