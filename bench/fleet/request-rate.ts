/**
 * Requests per second at the server, from the arrival times the simulator reports (its `onRequest`), and
 * the one figure the fleet target judges: peak-to-mean over a window (the busiest second against the
 * window's average second). 1 is a perfectly even load; a fleet reconnecting in step shows 5–10.
 */
export class RequestLog {
  private readonly times: number[] = [];
  private readonly paths: string[] = [];

  add(at: number, path = ''): void {
    this.times.push(at);
    this.paths.push(path);
  }

  /** Per path, requests per whole second in [from, from + seconds × 1000): the trace `--trace` writes. */
  series(from: number, seconds: number): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    this.times.forEach((at, i) => {
      const s = Math.floor((at - from) / 1000);
      if (s < 0 || s >= seconds) return;
      const row = (out[this.paths[i]!] ??= new Array<number>(seconds).fill(0));
      row[s] = (row[s] ?? 0) + 1;
    });
    return out;
  }

  /** Requests per path in [from, from + ms): what a busy second was made of. */
  pathsBetween(from: number, ms: number): Record<string, number> {
    const out: Record<string, number> = {};
    this.times.forEach((at, i) => {
      if (at >= from && at < from + ms) out[this.paths[i]!] = (out[this.paths[i]!] ?? 0) + 1;
    });
    return out;
  }

  /** Requests per whole second in [from, from + seconds × 1000). */
  perSecond(from: number, seconds: number): number[] {
    const buckets = new Array<number>(seconds).fill(0);
    for (const at of this.times) {
      const i = Math.floor((at - from) / 1000);
      if (i >= 0 && i < seconds) buckets[i] = (buckets[i] ?? 0) + 1;
    }
    return buckets;
  }
}

export function peakToMean(buckets: number[]): number {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (buckets.length === 0 || total === 0) return 0;
  return Math.max(...buckets) / (total / buckets.length);
}
