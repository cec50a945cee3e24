/**
 * Calendar days in the machine's zone as epoch-ms ranges, for "push today" and the date-range pickers.
 * The screen (and the process) may run in another zone than the machine's configured one — an Electron
 * window on a laptop set to UTC, a container without TZ — so a day is never computed with the process's
 * local Date methods, only with Intl and the zone named here. Days with a DST change are 23 or 25 hours.
 */

/** The zone's offset from UTC at `utcMs`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Epoch ms of local midnight starting `day` ('YYYY-MM-DD') in `zone`. */
export function startOfDay(day: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two rounds: the offset at the guess may differ from the offset at the answer across a DST change.
  let guess = wall - zoneOffsetMs(wall, zone);
  guess = wall - zoneOffsetMs(guess, zone);
  return guess;
}

/** The day `at` falls on in `zone`, as 'YYYY-MM-DD'. */
export function dayOf(at: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

/** `from` inclusive (midnight starting `firstDay`), `to` exclusive (midnight after `lastDay`), in `zone`. */
export function dayRange(firstDay: string, zone: string, lastDay: string = firstDay): { from: number; to: number } {
  const [y, m, d] = lastDay.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { from: startOfDay(firstDay, zone), to: startOfDay(next, zone) };
}
