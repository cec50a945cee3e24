/**
 * Averages over time buckets, pure. A series is columnar (parallel arrays of numbers, which V8 stores as
 * packed doubles: 8 bytes a value), so a month of history stays a few megabytes. Raw series have only `at`
 * and `v`; averaged ones also carry each bucket's min, max and reading count, so averaging again (5-minute →
 * hourly, or down to a chart's N points) weighs each bucket by what it stands for.
 */

export interface Series {
  at: number[];
  v: number[];
  lo?: number[];
  hi?: number[];
  n?: number[];
}

export interface HistoryPoint {
  at: number;
  /** The reading, or the average of the readings in the bucket starting at `at`. */
  value: number;
  min: number;
  max: number;
  count: number;
}

export function emptySeries(averaged: boolean): Series {
  return averaged ? { at: [], v: [], lo: [], hi: [], n: [] } : { at: [], v: [] };
}

export function pointAt(series: Series, i: number): HistoryPoint {
  const value = series.v[i]!;
  return { at: series.at[i]!, value, min: series.lo?.[i] ?? value, max: series.hi?.[i] ?? value, count: series.n?.[i] ?? 1 };
}

export function pushPoint(series: Series, p: HistoryPoint): void {
  series.at.push(p.at);
  series.v.push(p.value);
  series.lo?.push(p.min);
  series.hi?.push(p.max);
  series.n?.push(p.count);
}

/** First index whose `at` is ≥ `t` (series are appended in time order). */
export function lowerBound(at: readonly number[], t: number): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fold points into buckets of `widthMs` starting at `origin` + k·width; each bucket's `at` is its start. */
export function bucketize(points: Iterable<HistoryPoint>, widthMs: number, origin = 0): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let current: HistoryPoint | null = null;
  let sum = 0;
  for (const p of points) {
    const start = origin + Math.floor((p.at - origin) / widthMs) * widthMs;
    if (!current || current.at !== start) {
      if (current) out.push({ ...current, value: sum / current.count });
      current = { at: start, value: 0, min: p.min, max: p.max, count: 0 };
      sum = 0;
    }
    sum += p.value * p.count;
    current.count += p.count;
    current.min = Math.min(current.min, p.min);
    current.max = Math.max(current.max, p.max);
  }
  if (current) out.push({ ...current, value: sum / current.count });
  return out;
}

/** A whole series averaged into `widthMs` buckets (5-minute or hourly). */
export function rollupSeries(series: Series, widthMs: number): Series {
  const out = emptySeries(true);
  const points = (function* () {
    for (let i = 0; i < series.at.length; i += 1) yield pointAt(series, i);
  })();
  // Averages to 6 significant digits, as they are stored: no sensor is more precise, and a restart reads back the same.
  for (const p of bucketize(points, widthMs)) pushPoint(out, { ...p, value: Number(p.value.toPrecision(6)) });
  return out;
}

/** At most `maxPoints` points over [from, to): equal-width buckets, averaged; fewer points pass unchanged. */
export function downsample(points: HistoryPoint[], from: number, to: number, maxPoints: number): HistoryPoint[] {
  if (points.length <= maxPoints) return points;
  const width = Math.max(1, Math.ceil((to - from) / maxPoints));
  return bucketize(points, width, from);
}
