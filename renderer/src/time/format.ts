/** Clock text for the attract screen, in the machine's zone (not the browser's). */
export interface ClockText {
  time: string;
  date: string;
}

export function formatClock(epochMs: number, timeZone: string, locale: string): ClockText {
  const at = new Date(epochMs);
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(at);
  const date = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
  return { time: time.replace(/\./g, ':'), date };
}

/**
 * Display time never runs backwards: when the server offset shrinks, the clock holds until real time
 * catches up instead of jumping back (a recycler would read that as a broken machine).
 */
export function monotonicDisplay(previousShown: number, deviceNow: number, offsetMs: number): number {
  return Math.max(previousShown, deviceNow + offsetMs);
}
