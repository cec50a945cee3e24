/**
 * Request statistics for the maintenance screen: totals, failures, average and 95th-percentile latency,
 * plus the last few requests as a structured log. Every HTTP exchange counts (each retry is one), and a
 * "failure" is anything but a 2xx reply. The percentile covers a sliding window so a long uptime neither
 * grows memory nor hides today's latency behind last month's.
 */
export interface RequestLogEntry {
  at: number;
  method: string;
  /** Path only: query strings can carry tokens. */
  path: string;
  /** null = no reply (network error or timeout). */
  status: number | null;
  ms: number;
  attempt: number;
  error?: string;
}

export interface RequestStatsSnapshot {
  total: number;
  failed: number;
  avgMs: number;
  p95Ms: number;
  recent: RequestLogEntry[];
}

export class RequestStats {
  private total = 0;
  private failed = 0;
  private sumMs = 0;
  private readonly window: number[] = [];
  private readonly recent: RequestLogEntry[] = [];

  constructor(
    private readonly windowSize = 500,
    private readonly recentSize = 50,
  ) {}

  record(entry: RequestLogEntry): void {
    this.total += 1;
    this.sumMs += entry.ms;
    if (entry.status === null || entry.status < 200 || entry.status >= 300) this.failed += 1;
    this.window.push(entry.ms);
    if (this.window.length > this.windowSize) this.window.shift();
    this.recent.push(entry);
    if (this.recent.length > this.recentSize) this.recent.shift();
  }

  snapshot(recent = 10): RequestStatsSnapshot {
    return {
      total: this.total,
      failed: this.failed,
      avgMs: this.total === 0 ? 0 : round1(this.sumMs / this.total),
      p95Ms: percentile(this.window, 0.95),
      recent: this.recent.slice(-recent),
    };
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return round1(sorted[rank - 1]!);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
