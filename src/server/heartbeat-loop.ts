/**
 * The heartbeat: every 40–60 s (jittered, so a fleet does not beat in step), status, version, bin level,
 * health and local IP. Its outcome says what the server thinks of the machine: 200 = online (with
 * commands), 403 = not commissioned (no active technician assignment) or blocked, 401 = bad credentials.
 */
import { clampTimerMs } from '../core/backoff.js';
import type { ApiClient } from './api-client.js';
import { heartbeat } from './endpoints/edge.js';
import type { EdgeCommand, HeartbeatRequest } from './schemas/edge.js';

export type HeartbeatOutcome =
  | { kind: 'ok'; commands: EdgeCommand[] }
  | { kind: 'not_commissioned' | 'blocked' | 'unauthorized'; message: string }
  | { kind: 'offline'; message: string }
  | { kind: 'malformed'; message: string };

export interface HeartbeatLoopOptions {
  client: ApiClient;
  body: () => HeartbeatRequest;
  minMs: number;
  maxMs: number;
  random?: () => number;
  onOutcome: (outcome: HeartbeatOutcome) => void;
}

export async function beatOnce(client: ApiClient, body: HeartbeatRequest): Promise<HeartbeatOutcome> {
  const result = await heartbeat(client, body);
  if (result.ok) return { kind: 'ok', commands: result.data.commands };
  if (result.kind === 'malformed') return { kind: 'malformed', message: result.message };
  if (result.status === 401) return { kind: 'unauthorized', message: result.message };
  if (result.status === 403) {
    const code = (result.body as { error_code?: unknown } | undefined)?.error_code;
    return { kind: code === 'MACHINE_BLOCKED' ? 'blocked' : 'not_commissioned', message: result.message };
  }
  return { kind: 'offline', message: result.message };
}

export class HeartbeatLoop {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<HeartbeatOutcome> | null = null;

  constructor(private readonly opts: HeartbeatLoopOptions) {}

  /** Beat now, then keep beating. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.beatNow();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One beat outside the schedule (test connection); concurrent callers share the beat in flight. */
  beatNow(): Promise<HeartbeatOutcome> {
    this.inFlight ??= beatOnce(this.opts.client, this.opts.body())
      .then((outcome) => {
        this.opts.onOutcome(outcome);
        return outcome;
      })
      .finally(() => {
        this.inFlight = null;
        this.schedule();
      });
    return this.inFlight;
  }

  nextDelayMs(): number {
    const { minMs, maxMs } = this.opts;
    return clampTimerMs(Math.round(minMs + (this.opts.random ?? Math.random)() * Math.max(0, maxMs - minMs)));
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.beatNow(), this.nextDelayMs());
    this.timer.unref();
  }
}
