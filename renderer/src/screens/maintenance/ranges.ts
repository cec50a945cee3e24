/** Time ranges the dashboard offers, ending at the machine's (server-synced) now. */
export const RANGES = { '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000, '30d': 30 * 24 * 3_600_000 } as const;
export type RangeKey = keyof typeof RANGES;

/**
 * Consecutive [from, to) slices of a range, each at most `sliceMs` long: an export asks for one slice at a
 * time, so a month is never one reply of many megabytes and the progress bar moves as slices complete.
 */
export function slices(from: number, to: number, sliceMs: number): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  for (let start = from; start < to; start += sliceMs) out.push({ from: start, to: Math.min(to, start + sliceMs) });
  return out;
}
