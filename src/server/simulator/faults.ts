/**
 * Fault injection for the simulator, switchable at run time (tests call it directly, the CLI and demos go
 * through POST /__sim/faults). Rules match a path prefix and fire a limited number of times (or forever);
 * an outage window makes every API request and WebSocket fail until it ends.
 */
import { z } from 'zod';

export const faultRule = z.object({
  /** Path prefix, e.g. /api/v1/edge/heartbeat; empty = every API path. */
  path: z.string().default(''),
  /**
   * latency: slow answer; status: an error status instead of the route; drop: connection reset before the
   * route runs; drop_after: the route runs (a deposit is stored) and then the reply is lost; malformed: the
   * route runs and its reply arrives truncated, as from a broken proxy.
   * Hostile middleboxes (the request never reaches the route, so nothing is stored):
   * html_200: a captive portal's 200 text/html login page; wrong_types_200: a 200 JSON reply of the right
   * look with the wrong types; huge_200: a 200 streamed without Content-Length, `bytes` long, that is valid
   * sync-offline JSON for a one-transaction batch if read to the end; redirect: a `status` 3xx (302 unless
   * set) to `location`, e.g. another origin that must never see the API key.
   */
  kind: z.enum(['latency', 'status', 'drop', 'drop_after', 'malformed', 'html_200', 'wrong_types_200', 'huge_200', 'redirect']),
  /** latency: delay before answering. */
  ms: z.number().int().min(0).default(0),
  /** status: which HTTP status (500, 502, 503, 504, 429…). */
  status: z.number().int().min(100).max(599).default(503),
  /** huge_200: body size in bytes. */
  bytes: z.number().int().min(0).default(10 * 1024 * 1024),
  /** redirect: the Location header (absolute, or a path on the simulator). */
  location: z.string().default('/'),
  /** status 429: the Retry-After header, in seconds. */
  retryAfter: z.number().int().min(0).optional(),
  /** How many requests this rule hits before it retires; omitted = forever. */
  times: z.number().int().min(1).optional(),
});
export type FaultRule = z.infer<typeof faultRule>;

export const outageRequest = z.object({
  ms: z.number().int().min(0),
  /** drop = connections reset (server gone); 503 = maintenance page. */
  mode: z.enum(['drop', '503']).default('drop'),
});

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'drop_after' }
  | { kind: 'malformed' }
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'html_200' }
  | { kind: 'wrong_types_200' }
  | { kind: 'huge_200'; bytes: number }
  | { kind: 'redirect'; status: number; location: string };

interface LiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  private rules: LiveRule[] = [];
  private outageUntil = 0;
  private outageMode: 'drop' | '503' = 'drop';

  constructor(private readonly now: () => number = Date.now) {}

  add(rule: Partial<FaultRule> & Pick<FaultRule, 'kind'>): void {
    const parsed = faultRule.parse(rule);
    this.rules.push({ rule: parsed, remaining: parsed.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
    this.outageUntil = 0;
  }

  /** Start (ms > 0) or end (ms = 0) an outage window. */
  outage(ms: number, mode: 'drop' | '503' = 'drop'): void {
    this.outageUntil = ms > 0 ? this.now() + ms : 0;
    this.outageMode = mode;
  }

  inOutage(): boolean {
    return this.now() < this.outageUntil;
  }

  describe(): { rules: FaultRule[]; outageUntil: number | null; outageMode: 'drop' | '503' } {
    return { rules: this.rules.map((r) => r.rule), outageUntil: this.inOutage() ? this.outageUntil : null, outageMode: this.outageMode };
  }

  /** Decide what happens to one request: extra latency, then at most one failure. */
  decide(path: string): { latencyMs: number; action: FaultAction } {
    if (this.inOutage()) return { latencyMs: 0, action: this.outageMode === 'drop' ? { kind: 'drop' } : { kind: 'status', status: 503 } };
    let latencyMs = 0;
    let action: FaultAction = { kind: 'none' };
    for (const live of this.rules) {
      if (live.remaining <= 0 || !path.startsWith(live.rule.path)) continue;
      if (live.rule.kind === 'latency') {
        latencyMs += live.rule.ms;
        live.remaining -= 1;
      } else if (action.kind === 'none') {
        live.remaining -= 1;
        action = toAction(live.rule);
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { latencyMs, action };
  }
}

function toAction(rule: FaultRule): FaultAction {
  switch (rule.kind) {
    case 'status':
      return { kind: 'status', status: rule.status, ...(rule.retryAfter === undefined ? {} : { retryAfter: rule.retryAfter }) };
    case 'huge_200':
      return { kind: 'huge_200', bytes: rule.bytes };
    case 'redirect':
      // The schema's status default (503) is for the `status` kind; a redirect takes a 3xx or 302.
      return { kind: 'redirect', status: rule.status >= 300 && rule.status < 400 ? rule.status : 302, location: rule.location };
    case 'latency':
      return { kind: 'none' };
    default:
      return { kind: rule.kind };
  }
}
