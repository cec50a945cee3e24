/**
 * The host end of the controller link. It keeps the link up (LinkKeeper), sends heartbeats and declares the
 * link dead when the controller goes quiet (a pseudo-terminal whose peer died reports nothing until a write
 * fails), queues commands (CommandQueue), turns incoming bytes into typed events, confirms DROP events so the
 * controller stops repeating them, and counts everything for the maintenance screen. Bad input is counted
 * and logged in hex; nothing from the wire can throw out of here.
 */
import { randomInt } from 'node:crypto';
import type { BackoffPolicy } from '../../core/backoff.js';
import { hexPreview } from '../../log/hex-preview.js';
import { createLogger } from '../../log/logger.js';
import type { HostDialect, HostIncoming } from '../protocol/dialect.js';
import { nextSeq, type CommandOp, type ControllerEvent, type MachineCommand } from '../protocol/messages.js';
import type { Link, LinkOpener, TransportKind } from '../transport/link.js';
import { LinkKeeper } from '../transport/link-keeper.js';
import { CommandQueue, type SendOptions } from './command-queue.js';
import { zeroCounters, type LinkCounters } from './counters.js';
import { MachineCommandError } from './errors.js';
import { SeqTracker } from './seq-tracker.js';

const log = createLogger('hardware');

/**
 * Reply timeouts for ops the configuration may not name. SORT answers once the gate is in position and the
 * conveyor runs (the item is in transit), so it gets a gate's time plus a little; WHERE is a lookup.
 */
export const DEFAULT_OP_TIMEOUTS_MS: Record<CommandOp, number> = {
  ping: 500, conveyor: 500, gate: 1500, door: 1500, lights: 500, buzzer: 1000, tare: 2000, status: 500, sort: 2000, where: 500, set: 500,
};

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'lost' | 'stopped';

export interface LinkState {
  status: LinkStatus;
  /** Epoch ms of the last status change; for `lost`, when the link went down. */
  since: number;
  port: string | null;
  transport: TransportKind;
  dialect: HostDialect['name'];
  firmware: string | null;
  attempts: number;
  lastError: string | null;
}

export interface DriverOptions {
  dialect: HostDialect;
  open: LinkOpener;
  transport: TransportKind;
  heartbeatMs: number;
  deadAfterMs: number;
  /** After this long reconnecting, the state says `lost` instead. */
  lostAfterMs: number;
  backoff: BackoffPolicy;
  retries: number;
  queueWaitMs: number;
  /** Reply timeout per command; an op left out (the item-tracking `sort` and `where`) gets DEFAULT_OP_TIMEOUTS_MS. */
  timeoutsMs: Partial<Record<CommandOp, number>>;
}

export class MachineDriver {
  readonly counters: LinkCounters = zeroCounters();
  private readonly keeper: LinkKeeper;
  private readonly queue: CommandQueue;
  private readonly events = new Set<(event: ControllerEvent) => void>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private readonly controllerSeq = new SeqTracker();
  private decoder: ReturnType<HostDialect['createDecoder']> | null = null;
  private seq = randomInt(1, 65536);
  private lastRxAt = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private lostTimer: NodeJS.Timeout | null = null;
  private everConnected = false;
  private linkState: LinkState;

  constructor(private readonly options: DriverOptions) {
    const dialect = options.dialect;
    this.linkState = { status: 'connecting', since: Date.now(), port: null, transport: options.transport, dialect: dialect.name, firmware: null, attempts: 0, lastError: null };
    this.queue = new CommandQueue(dialect, {
      nextSeq: () => this.takeSeq(),
      write: (bytes) => this.write(bytes),
      linkText: () => `${this.linkState.status} since ${new Date(this.linkState.since).toISOString()}`,
      count: (what) => this.counters[what]++,
    });
    this.keeper = new LinkKeeper(options.open, options.backoff, {
      up: (link) => this.linkUp(link),
      down: (error) => this.linkDown(error),
      attemptFailed: (error, attempt) => this.attemptFailed(error, attempt),
    });
  }

  get state(): LinkState {
    return { ...this.linkState };
  }

  get dialect(): HostDialect {
    return this.options.dialect;
  }

  start(): void {
    this.keeper.start();
  }

  async stop(): Promise<void> {
    this.stopTimers();
    this.queue.failAll(new MachineCommandError('stopped', 'the machine driver was stopped'));
    this.queue.setLinkUp(false);
    await this.keeper.stop();
    this.setState({ status: 'stopped', since: Date.now() });
  }

  send(command: MachineCommand, overrides: Partial<SendOptions> = {}): Promise<Record<string, string>> {
    return this.queue.enqueue(command, {
      timeoutMs: overrides.timeoutMs ?? this.options.timeoutsMs[command.op] ?? DEFAULT_OP_TIMEOUTS_MS[command.op],
      retries: overrides.retries ?? this.options.retries,
      queueWaitMs: overrides.queueWaitMs ?? this.options.queueWaitMs,
    });
  }

  onEvent(listener: (event: ControllerEvent) => void): () => void {
    this.events.add(listener);
    return () => this.events.delete(listener);
  }

  onState(listener: (state: LinkState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The firmware version learnt from a STAT reply (the BOOT event may have gone out before we connected). */
  noteFirmware(firmware: string): void {
    if (!this.linkState.firmware?.startsWith(firmware)) this.setState({ firmware });
  }

  /** Resolves true once connected, or false after `timeoutMs`. */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.linkState.status === 'connected') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const off = this.onState((state) => state.status === 'connected' && done(true));
      const done = (ok: boolean) => {
        clearTimeout(timer);
        off();
        resolve(ok);
      };
    });
  }

  private linkUp(link: Link): void {
    this.decoder = this.options.dialect.createDecoder();
    link.onData((chunk) => this.receive(chunk));
    this.lastRxAt = Date.now();
    if (this.everConnected) this.counters.reconnects++;
    this.everConnected = true;
    this.stopTimers();
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.setState({ status: 'connected', since: Date.now(), port: link.description, attempts: 0, lastError: null });
    log.info('controller link up', { port: link.description, dialect: this.options.dialect.name });
    this.queue.setLinkUp(true);
  }

  private linkDown(error: Error): void {
    this.stopTimers();
    this.decoder = null;
    this.queue.setLinkUp(false);
    this.setState({ status: 'reconnecting', since: Date.now(), lastError: error.message });
    log.warn('controller link down', { error: error.message });
    this.lostTimer = setTimeout(() => this.setState({ status: 'lost' }), this.options.lostAfterMs);
    this.lostTimer.unref();
  }

  private attemptFailed(error: Error, attempt: number): void {
    const { status, since } = this.linkState;
    const givingUp = status === 'connecting' && Date.now() - since >= this.options.lostAfterMs;
    this.setState({ attempts: attempt, lastError: error.message, ...(givingUp ? { status: 'lost' as const } : {}) });
    if (attempt === 1 || givingUp) log.warn('cannot open the controller port', { error: error.message, attempt });
  }

  private beat(): void {
    const quietMs = Date.now() - this.lastRxAt;
    if (quietMs > this.options.deadAfterMs) {
      this.keeper.drop(new Error(`no frames from the controller for ${quietMs} ms (heartbeat lost)`));
      return;
    }
    const dialect = this.options.dialect;
    if (dialect.capabilities.heartbeatFrames) {
      const bytes = dialect.encodeHeartbeat(this.takeSeq());
      if (bytes) this.write(bytes).catch(() => undefined);
    } else if (this.queue.idle) {
      // Without heartbeat frames, an idle-time ping is what keeps replies (and so liveness) coming.
      this.send({ op: 'ping' }, { retries: 0 }).catch(() => undefined);
    }
  }

  private receive(chunk: Buffer): void {
    this.counters.bytesIn += chunk.length;
    const items = this.decoder?.push(chunk) ?? [];
    for (const item of items) {
      try {
        this.handle(item);
      } catch (err) {
        log.error('controller frame handling failed', { error: String(err) });
      }
    }
  }

  private handle(item: HostIncoming): void {
    if (item.kind === 'malformed') {
      this.counters.malformed++;
      // A controller spewing garbage is rate-limited by the logger (identical message); every frame is counted.
      log.warn('dropped a malformed frame from the controller', { reason: item.reason, detail: item.detail, hex: hexPreview(item.bytes) });
      return;
    }
    this.counters.framesIn++;
    this.lastRxAt = Date.now();
    if (item.kind === 'reply') {
      this.queue.handleReply(item);
      return;
    }
    const { event, seq } = item;
    if (event.type === 'boot') {
      this.controllerSeq.reset();
      this.setState({ firmware: `${event.firmware} (protocol ${event.protocol})` });
      log.info('controller booted', { firmware: event.firmware, protocol: event.protocol });
    }
    const fresh = seq === null || this.controllerSeq.accept(seq, (missed) => (this.counters.missedFrames += missed));
    // Confirm every DROP, repeats included: a repeat means our last confirmation was lost.
    if (event.type === 'drop' && seq !== null) {
      const ack = this.options.dialect.encodeEventAck(this.takeSeq(), seq);
      if (ack) this.write(ack).catch(() => undefined);
    }
    if (!fresh || event.type === 'heartbeat') return;
    for (const listener of this.events) {
      try {
        listener(event);
      } catch (err) {
        log.error('a controller event listener failed', { event: event.type, error: String(err) });
      }
    }
  }

  private write(bytes: Buffer): Promise<void> {
    const link = this.keeper.current;
    if (!link) return Promise.reject(new Error('controller link is down'));
    this.counters.framesOut++;
    this.counters.bytesOut += bytes.length;
    return link.write(bytes);
  }

  private takeSeq(): number {
    this.seq = nextSeq(this.seq);
    return this.seq;
  }

  private setState(patch: Partial<LinkState>): void {
    const next = { ...this.linkState, ...patch };
    this.linkState = next;
    for (const listener of this.stateListeners) listener({ ...next });
  }

  private stopTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.lostTimer) clearTimeout(this.lostTimer);
    this.heartbeat = null;
    this.lostTimer = null;
  }
}
