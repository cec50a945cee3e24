/**
 * The realtime channel: pusher-js (the maintained Pusher-protocol client, compatible with Laravel Reverb)
 * subscribed to public channel `rvm.<uuid>`. Reconnecting is this wrapper's job, not pusher-js's: pusher-js
 * retries a dropped socket after a fixed second, so when Reverb restarts (or the server goes away) a whole
 * fleet reconnects in the same second, and again every time its "unavailable" timer runs out. So at a drop
 * this wrapper stops pusher-js and reconnects itself: first after a random wait within `reconnectSpreadMs`,
 * then, while the server stays away, with the shared equal-jitter backoff (core/backoff.ts). The mode it
 * reports — 'realtime' only while subscribed — is what the link uses to switch polling on and off.
 */
import PusherModule from 'pusher-js';
import type { Channel } from 'pusher-js';
import { Backoff, spreadDelay } from '../../core/backoff.js';
import { describeZodError } from '../../core/describe-error.js';
import { createLogger } from '../../log/logger.js';
import { realtimeEvents, type RealtimeEvent, type RealtimeEventName } from './realtime-events.js';

const log = createLogger('server.realtime');

// pusher-js ships CommonJS whose typings declare an ES default export; under NodeNext the class can land
// on either side depending on the loader, so take whichever is the constructor.
type PusherCtor = typeof import('pusher-js').default;
const Pusher: PusherCtor = ((PusherModule as unknown as { default?: PusherCtor }).default ?? PusherModule) as PusherCtor;

export interface RealtimeOptions {
  appKey: string;
  host: string;
  port: number;
  scheme: 'ws' | 'wss';
  channel: string;
  /** Our reconnect backoff, ×2 from the first delay up to the cap (the `realtime.reconnect*` config keys). */
  reconnectFirstDelayMs: number;
  reconnectCapMs: number;
  /** The first reconnect after the socket dropped waits a random time within this window (0 = at once). */
  reconnectSpreadMs?: number;
  /** How long pusher-js keeps trying before it reports "unavailable". */
  unavailableTimeoutMs?: number;
  random?: () => number;
  onEvent: (event: RealtimeEvent) => void;
  onMode: (mode: 'realtime' | 'polling', detail: string) => void;
}

export class RealtimeChannel {
  private pusher: InstanceType<PusherCtor> | null = null;
  private channel: Channel | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private subscribed = false;
  private pausing = false;
  private stopped = false;

  constructor(private readonly opts: RealtimeOptions) {
    this.backoff = new Backoff({ firstMs: opts.reconnectFirstDelayMs, factor: 2, maxMs: opts.reconnectCapMs }, opts.random);
  }

  start(): void {
    const { appKey, host, port, scheme } = this.opts;
    this.pusher = new Pusher(appKey, {
      cluster: 'reverb',
      wsHost: host,
      wsPort: port,
      wssPort: port,
      forceTLS: scheme === 'wss',
      enabledTransports: scheme === 'wss' ? ['wss'] : ['ws'],
      disableStats: true,
      unavailableTimeout: this.opts.unavailableTimeoutMs ?? 10_000,
    });
    this.pusher.connection.bind('state_change', (s: { previous: string; current: string }) => this.onState(s.current));
    // Hear the drop itself (pusher-js would retry a second later, in step with every other kiosk).
    this.pusher.connection.bind('connected', () => this.pusher?.connection.connection?.bind('closed', () => this.lost()));
    this.pusher.connection.bind('error', (err: unknown) => log.debug('realtime socket error', { error: describe(err) }));
    this.channel = this.pusher.subscribe(this.opts.channel);
    this.channel.bind('pusher:subscription_succeeded', () => {
      this.subscribed = true;
      this.backoff.reset();
      log.info('realtime channel subscribed', { channel: this.opts.channel });
      this.opts.onMode('realtime', `subscribed to ${this.opts.channel}`);
    });
    this.channel.bind('pusher:subscription_error', (err: unknown) => {
      log.warn('realtime subscription refused', { channel: this.opts.channel, error: describe(err) });
      this.fallBack('subscription refused');
    });
    for (const name of Object.keys(realtimeEvents) as RealtimeEventName[]) {
      this.channel.bind(name, (data: unknown) => this.deliver(name, data));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pusher?.disconnect();
    this.pusher = null;
  }

  private onState(current: string): void {
    if (this.stopped) return;
    if (current === 'connecting' && this.subscribed) {
      this.subscribed = false;
      this.opts.onMode('polling', 'realtime connection lost, reconnecting');
    } else if ((current === 'unavailable' || current === 'failed' || current === 'disconnected') && !this.pausing) {
      this.fallBack(current === 'failed' ? 'realtime not supported' : 'realtime server unreachable');
    }
  }

  /** The socket dropped while connected: stop pusher-js's own retry and reconnect after a spread wait. */
  private lost(): void {
    if (this.stopped || this.retryTimer) return;
    const wasSubscribed = this.subscribed;
    this.subscribed = false;
    const delay = spreadDelay(this.opts.reconnectSpreadMs ?? 0, this.opts.random);
    if (wasSubscribed) this.opts.onMode('polling', `realtime connection lost; reconnecting in ${Math.round(delay / 1000)} s`);
    log.warn('realtime connection lost, polling meanwhile', { reconnectInMs: delay });
    this.connectAfter(delay);
  }

  private fallBack(reason: string): void {
    this.subscribed = false;
    if (this.retryTimer || this.stopped) return;
    const delay = this.backoff.next();
    this.opts.onMode('polling', `${reason}; retrying in ${Math.round(delay / 1000)} s`);
    log.warn('realtime unavailable, polling meanwhile', { reason, retryInMs: delay, attempt: this.backoff.attempts });
    this.connectAfter(delay);
  }

  /** Stop pusher-js's own reconnect loop while we wait, so only our (spread, jittered) schedule is in charge. */
  private connectAfter(delay: number): void {
    this.pausing = true;
    this.pusher?.disconnect();
    this.pausing = false;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.pusher?.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private deliver(name: RealtimeEventName, data: unknown): void {
    const parsed = realtimeEvents[name].safeParse(data);
    if (!parsed.success) {
      log.error('malformed realtime event dropped', { event: name, problem: describeZodError(parsed.error) });
      return;
    }
    try {
      this.opts.onEvent({ name, data: parsed.data } as RealtimeEvent);
    } catch (err) {
      log.error('realtime event handler failed', { event: name, error: describe(err) });
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return JSON.stringify(err)?.slice(0, 200) ?? String(err);
  } catch {
    return String(err);
  }
}
