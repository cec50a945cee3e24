/**
 * The virtual machine controller: the MachineModel behind the same protocol module the driver uses, on any
 * Link (one end of a socat pty, an in-memory pair). It numbers its frames, answers a repeated command from
 * its cache instead of running it twice, repeats DROP events until the host confirms them, sends heartbeats,
 * stops the conveyor when the host goes quiet (but finishes a sorted item's move), and can misbehave on
 * purpose: link drop, garbage bytes, and — to prove the host credits only items in its custody — frames
 * forged with a valid checksum (`forge`) and earlier frames replayed byte for byte (`replay`).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createLogger } from '../../log/logger.js';
import { describeCommand, deviceDialect, nextSeq, PIPELINED_PROTOCOL_VERSION, PROTOCOL_VERSION, type ControllerEvent, type DeviceDialect, type DeviceIncoming, type DialectName } from '../protocol/index.js';
import type { Link } from '../transport/link.js';
import { MachineModel } from './machine-model.js';
import { DEFAULT_CAPACITY_ML, type SimTimings } from './sim-settings.js';

const log = createLogger('hardware-sim');

export interface SimulatorOptions {
  dialect: DialectName;
  timings: SimTimings;
  heartbeatMs: number;
  /** No frame from the host for this long: stop moving things. */
  hostDeadAfterMs: number;
  /** How often an unconfirmed DROP event is sent again. */
  dropResendMs: number;
  firmware: string;
  /** Items the conveyor carries at once (belt.ts); 1, the default, is one item at a time (protocol 2). */
  belt?: number;
}

/** A frame the simulator sent, kept so a test can replay it byte for byte. */
export interface SentFrame {
  seq: number;
  event: ControllerEvent;
  bytes: Buffer;
}

/** How many sent event frames are kept for `replay` (heartbeats included: they are what pushes a frame out of a window). */
const SENT_HISTORY = 512;

export const DEFAULT_SIMULATOR_OPTIONS: Omit<SimulatorOptions, 'timings'> = {
  dialect: 'rvm1',
  heartbeatMs: 1000,
  hostDeadAfterMs: 3500,
  dropResendMs: 500,
  firmware: 'rvm-sim-1.0.0',
};

export class ControllerSimulator {
  readonly model: MachineModel;
  private readonly dialect: DeviceDialect;
  private link: Link | null = null;
  private decoder: ReturnType<DeviceDialect['createDecoder']> | null = null;
  private seq = randomInt(1, 65536);
  private lastCommand: { body: string; reply: Buffer | null } | null = null;
  private readonly pendingDrops = new Map<number, Buffer>();
  private silentUntil = 0;
  private lastHostRx = Date.now();
  private booted = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private tracer: ((line: string) => void) | null = null;
  private readonly eventListeners = new Set<(event: ControllerEvent) => void>();
  private readonly sent: SentFrame[] = [];

  constructor(private readonly options: SimulatorOptions) {
    this.dialect = deviceDialect(options.dialect);
    this.model = new MachineModel(options.timings, DEFAULT_CAPACITY_ML, (event) => {
      for (const listener of this.eventListeners) listener(event);
      this.send(event);
    }, Math.random, options.belt ?? 1);
    const every = (ms: number, fn: () => void) => {
      if (ms <= 0) return;
      const timer = setInterval(fn, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(options.heartbeatMs, () => this.heartbeat());
    every(options.dropResendMs, () => this.resendDrops());
    every(options.timings.telemetryMs, () => this.model.tickTemperature());
  }

  get attached(): boolean {
    return this.link !== null;
  }

  /** Watch commands in and events out (not heartbeats), e.g. for the CLI. */
  onTrace(tracer: (line: string) => void): void {
    this.tracer = tracer;
  }

  /** Every event the machine itself reports (not forged or replayed frames), whether or not a host is attached. */
  onEvent(listener: (event: ControllerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Send an event the machine did not produce, numbered and checksummed like a real one: what a tampered
   * controller or a man in the middle could put on the wire (e.g. ITEM 1, WT, DROP with an empty intake).
   */
  forge(event: ControllerEvent): void {
    this.send(event);
  }

  /**
   * Send again, byte for byte (same sequence number), the latest earlier frame `which` picks (default: the
   * last DROP). Returns the replayed frame, or null when none matches. `framesSince` says how many frames
   * went out after it, i.e. how far back the replay reaches.
   */
  replay(which: (frame: SentFrame) => boolean = (f) => f.event.type === 'drop'): (SentFrame & { framesSince: number }) | null {
    for (let i = this.sent.length - 1; i >= 0; i--) {
      const frame = this.sent[i] as SentFrame;
      if (!which(frame)) continue;
      this.write(frame.bytes);
      return { ...frame, framesSince: this.sent.length - 1 - i };
    }
    return null;
  }

  /** Take over a link (a fresh port after a reconnect). A reattach is not a reboot: pending drops survive. */
  attach(link: Link): void {
    this.link = link;
    this.decoder = this.dialect.createDecoder();
    this.lastHostRx = Date.now();
    link.onData((chunk) => this.receive(link, chunk));
    link.onClose(() => this.link === link && this.detach());
    if (!this.booted) this.reboot();
    else this.resendDrops();
  }

  detach(): void {
    this.link = null;
    this.decoder = null;
  }

  /** A controller reset: new numbering, nothing remembered, BOOT announced. */
  reboot(): void {
    this.booted = true;
    this.seq = randomInt(1, 65536);
    this.lastCommand = null;
    this.pendingDrops.clear();
    // RAM is gone: the ids of recent drops with it (WHERE answers `unknown` for items from before).
    this.model.forgetDrops();
    this.send({ type: 'boot', firmware: this.options.firmware, protocol: this.model.pipelined ? PIPELINED_PROTOCOL_VERSION : PROTOCOL_VERSION });
  }

  /** The link goes dead for `ms`: nothing is sent or heard, as if the cable were cut without the OS noticing. */
  dropLink(ms: number): void {
    this.silentUntil = Date.now() + ms;
  }

  /** Line noise: random bytes, which may include `$` and newlines, in the middle of the stream. */
  sendGarbage(length = 64): void {
    this.write(randomBytes(length));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.model.stop();
    this.detach();
  }

  private get silent(): boolean {
    return Date.now() < this.silentUntil;
  }

  private receive(link: Link, chunk: Buffer): void {
    if (link !== this.link || this.silent || !this.decoder) return;
    for (const item of this.decoder.push(chunk)) {
      try {
        this.handle(item);
      } catch (err) {
        log.error('simulator failed on a host frame', { error: String(err) });
      }
    }
  }

  private handle(item: DeviceIncoming): void {
    if (item.kind === 'malformed') {
      log.debug('simulator dropped a malformed frame', { reason: item.reason, hex: item.bytes.toString('hex') });
      // The legacy firmware answers anything it does not know with UNKNOWN_CMD_ESP.
      if (this.options.dialect === 'myrvm-legacy' && item.reason === 'bad_message') this.write(Buffer.from('UNKNOWN_CMD_ESP\r\n'));
      return;
    }
    this.lastHostRx = Date.now();
    if (item.kind === 'heartbeat') return;
    if (item.kind === 'eventAck') {
      this.pendingDrops.delete(item.eventSeq);
      return;
    }
    const { command, seq, body } = item;
    if (seq !== null && this.lastCommand?.body === body) {
      // A retry of what we already did (or are doing): answer it, never run it twice.
      if (this.lastCommand.reply) this.write(this.lastCommand.reply);
      return;
    }
    const entry: { body: string; reply: Buffer | null } = { body, reply: null };
    this.lastCommand = entry;
    void this.model.execute(command).then((result) => {
      // The firmware version rides along in STAT so a host that missed BOOT still learns it.
      const reply = command.op === 'status' && result.ok ? { ok: true as const, data: { ...result.data, fw: this.options.firmware } } : result;
      this.tracer?.(`<- ${describeCommand(command)}  -> ${reply.ok ? 'ACK' : `NAK ${reply.code}`}`);
      entry.reply = this.dialect.encodeReply(seq, command, reply);
      this.write(entry.reply);
    });
  }

  private send(event: ControllerEvent): void {
    this.seq = nextSeq(this.seq);
    const frame = this.dialect.encodeEvent(this.seq, event);
    if (!frame) return;
    if (event.type === 'drop') this.pendingDrops.set(this.seq, frame);
    this.sent.push({ seq: this.seq, event, bytes: frame });
    if (this.sent.length > SENT_HISTORY) this.sent.shift();
    if (event.type !== 'heartbeat') this.tracer?.(`-> ${JSON.stringify(event)}`);
    this.write(frame);
  }

  private heartbeat(): void {
    if (this.options.dialect !== 'rvm1') return;
    if (Date.now() - this.lastHostRx > this.options.hostDeadAfterMs) this.model.hostLost();
    this.send({ type: 'heartbeat' });
  }

  private resendDrops(): void {
    for (const frame of this.pendingDrops.values()) this.write(frame);
  }

  private write(bytes: Buffer): void {
    if (!this.link || this.silent) return;
    this.link.write(bytes).catch(() => undefined);
  }
}
