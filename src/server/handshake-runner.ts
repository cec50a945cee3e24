/**
 * The handshake: who am I (machine UUID for kiosk calls, rvm id, timezone, realtime channel, policy, model
 * target). At start-up it runs in the background and keeps trying with exponential backoff until it
 * succeeds, so the kiosk starts and takes items even when the server is down (unlike the reference edge,
 * whose kiosk never opens offline).
 */
import { Backoff, clampTimerMs, spreadDelay } from '../core/backoff.js';
import type { ApiClient } from './api-client.js';
import { handshake } from './endpoints/edge.js';
import type { HandshakeReply, HandshakeRequest } from './schemas/edge.js';

export interface HandshakeInfo {
  uuid: string;
  rvmId: number;
  name: string | null;
  timezone: string;
  websocket: HandshakeReply['data']['websocket'];
  policy: HandshakeReply['data']['policy'];
  aiModel: HandshakeReply['data']['ai_model'];
}

export type HandshakeOutcome =
  | { kind: 'ok'; info: HandshakeInfo }
  | { kind: 'unauthorized' | 'blocked' | 'rejected' | 'offline' | 'malformed'; message: string; status: number | null };

export async function handshakeOnce(client: ApiClient, body: HandshakeRequest): Promise<HandshakeOutcome> {
  const result = await handshake(client, body);
  if (result.ok) {
    const d = result.data.data;
    return {
      kind: 'ok',
      info: { uuid: d.identity.rvm_uuid, rvmId: d.identity.rvm_id, name: d.identity.rvm_name ?? null, timezone: d.kiosk.timezone, websocket: d.websocket, policy: d.policy, aiModel: d.ai_model },
    };
  }
  const status = result.status;
  if (result.kind === 'malformed') return { kind: 'malformed', message: result.message, status };
  if (status === 401) return { kind: 'unauthorized', message: `${result.message} (re-import rvm-credentials.json)`, status };
  if (status === 403) return { kind: 'blocked', message: result.message, status };
  // 422 means our payload broke a rule: a kiosk bug worth a loud log, but still retried slowly.
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'rejected', message: result.message, status };
  return { kind: 'offline', message: result.message, status };
}

export interface HandshakeRunnerOptions {
  client: ApiClient;
  body: () => HandshakeRequest;
  /** Backoff ×2 from `firstDelayMs` up to `capMs` (the `server.handshake*` config keys, names kept). */
  firstDelayMs: number;
  capMs: number;
  /** The first try waits a random time within this window, so a fleet that starts together is spread (0 = at once). */
  startSpreadMs?: number;
  random?: () => number;
  onOutcome: (outcome: HandshakeOutcome) => void;
}

export class HandshakeRunner {
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private stopped = false;

  constructor(private readonly opts: HandshakeRunnerOptions) {
    this.backoff = new Backoff({ firstMs: opts.firstDelayMs, factor: 2, maxMs: opts.capMs }, opts.random);
  }

  /** Try (after the start spread); on failure keep trying in the background until one succeeds. */
  start(): void {
    const delay = spreadDelay(this.opts.startSpreadMs ?? 0, this.opts.random);
    if (delay === 0) return void this.attempt();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, delay);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One handshake now (test connection); a success also ends the background retries. */
  async runNow(): Promise<HandshakeOutcome> {
    const outcome = await handshakeOnce(this.opts.client, this.opts.body());
    if (outcome.kind === 'ok' && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.opts.onOutcome(outcome);
    return outcome;
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.runNow();
    if (outcome.kind === 'ok' || this.stopped) {
      this.backoff.reset();
      return;
    }
    const backoffMs = this.backoff.next();
    // Credential and payload problems will not fix themselves quickly: go straight to the slow end.
    const slow = outcome.kind === 'unauthorized' || outcome.kind === 'blocked' || outcome.kind === 'rejected';
    const delay = slow ? clampTimerMs(this.opts.capMs) : backoffMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, delay);
    this.timer.unref();
  }
}
