/**
 * Stop-and-wait command queue: one command in flight, the rest in order behind it. Each command has its own
 * reply timeout and a bounded number of retries; a retry re-sends the same bytes (same sequence number) so
 * the controller can recognise a duplicate. While the link is down nothing is sent; a command that waits
 * longer than `queueWaitMs` for the link fails with a `link_down` error that says whether it was ever sent.
 * Every promise handed out is settled exactly once: by a reply, a timeout, the wait limit, or stop().
 */
import type { HostDialect, HostIncoming, InFlight } from '../protocol/dialect.js';
import { describeCommand, type MachineCommand } from '../protocol/messages.js';
import { MachineCommandError } from './errors.js';

export interface SendOptions {
  timeoutMs: number;
  retries: number;
  queueWaitMs: number;
}

export interface QueueHooks {
  nextSeq(): number;
  write(bytes: Buffer): Promise<void>;
  /** e.g. "reconnecting since 2026-11-23T10:02:03Z", for error messages. */
  linkText(): string;
  count(what: 'timeouts' | 'retries' | 'naks' | 'staleReplies'): void;
}

interface Entry extends InFlight {
  bytes: Buffer;
  options: SendOptions;
  attemptsLeft: number;
  sent: boolean;
  attemptTimer: NodeJS.Timeout | null;
  waitTimer: NodeJS.Timeout | null;
  resolve(data: Record<string, string>): void;
  reject(error: MachineCommandError): void;
}

export class CommandQueue {
  private readonly waiting: Entry[] = [];
  private inFlight: Entry | null = null;
  private linkUp = false;

  constructor(
    private readonly dialect: HostDialect,
    private readonly hooks: QueueHooks,
  ) {}

  get idle(): boolean {
    return this.inFlight === null && this.waiting.length === 0;
  }

  get depth(): number {
    return this.waiting.length + (this.inFlight ? 1 : 0);
  }

  enqueue(command: MachineCommand, options: SendOptions): Promise<Record<string, string>> {
    const seq = this.hooks.nextSeq();
    const bytes = this.dialect.encodeCommand(seq, command);
    if (!bytes) {
      return Promise.reject(new MachineCommandError('unsupported', `the ${this.dialect.name} controller has no '${describeCommand(command)}' command`));
    }
    return new Promise((resolve, reject) => {
      const entry: Entry = { seq, command, bytes, options, attemptsLeft: options.retries, sent: false, attemptTimer: null, waitTimer: null, resolve, reject };
      this.waiting.push(entry);
      if (!this.linkUp) this.startWait(entry);
      this.pump();
    });
  }

  /** Offer a reply; returns false when it answers nothing in flight (a late reply to an abandoned attempt). */
  handleReply(reply: Extract<HostIncoming, { kind: 'reply' }>): boolean {
    const entry = this.inFlight;
    if (!entry || !entry.sent || !this.dialect.answers(entry, reply)) {
      this.hooks.count('staleReplies');
      return false;
    }
    if (reply.reply.ok) {
      this.settle(entry, null, reply.reply.data);
    } else {
      this.hooks.count('naks');
      const error = new MachineCommandError('nak', `controller refused '${describeCommand(entry.command)}': ${reply.reply.code}`, reply.reply.code);
      this.settle(entry, error);
    }
    return true;
  }

  setLinkUp(up: boolean): void {
    if (this.linkUp === up) return;
    this.linkUp = up;
    const entries = this.inFlight ? [this.inFlight, ...this.waiting] : [...this.waiting];
    for (const entry of entries) {
      if (up) this.clearTimer(entry, 'waitTimer');
      else {
        this.clearTimer(entry, 'attemptTimer');
        this.startWait(entry);
      }
    }
    // The command in flight when the link dropped is sent again, with the same number, once it is back.
    if (up && this.inFlight) this.transmit(this.inFlight);
    this.pump();
  }

  failAll(error: MachineCommandError): void {
    const entries = this.inFlight ? [this.inFlight, ...this.waiting] : [...this.waiting];
    for (const entry of entries) this.settle(entry, error);
  }

  private pump(): void {
    if (!this.linkUp || this.inFlight) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    this.inFlight = entry;
    this.transmit(entry);
  }

  private transmit(entry: Entry): void {
    entry.sent = true;
    this.clearTimer(entry, 'attemptTimer');
    entry.attemptTimer = setTimeout(() => this.attemptTimedOut(entry), entry.options.timeoutMs);
    // A failed write ends the link; the driver then calls setLinkUp(false) and this entry waits for it.
    this.hooks.write(entry.bytes).catch(() => undefined);
  }

  private attemptTimedOut(entry: Entry): void {
    entry.attemptTimer = null;
    if (this.inFlight !== entry) return;
    this.hooks.count('timeouts');
    if (entry.attemptsLeft > 0) {
      entry.attemptsLeft--;
      this.hooks.count('retries');
      this.transmit(entry);
      return;
    }
    const attempts = entry.options.retries + 1;
    const error = new MachineCommandError(
      'timeout',
      `no reply from the controller to '${describeCommand(entry.command)}' after ${attempts} attempt${attempts > 1 ? 's' : ''} of ${entry.options.timeoutMs} ms`,
    );
    this.settle(entry, error);
  }

  private startWait(entry: Entry): void {
    if (entry.waitTimer) return;
    entry.waitTimer = setTimeout(() => {
      entry.waitTimer = null;
      const what = describeCommand(entry.command);
      const detail = entry.sent
        ? `'${what}' was sent but not confirmed before the link dropped; the controller may or may not have done it`
        : `'${what}' was not sent`;
      this.settle(entry, new MachineCommandError('link_down', `controller link is ${this.hooks.linkText()}: ${detail}`));
    }, entry.options.queueWaitMs);
  }

  private settle(entry: Entry, error: MachineCommandError | null, data: Record<string, string> = {}): void {
    this.clearTimer(entry, 'attemptTimer');
    this.clearTimer(entry, 'waitTimer');
    if (this.inFlight === entry) this.inFlight = null;
    else {
      const index = this.waiting.indexOf(entry);
      if (index >= 0) this.waiting.splice(index, 1);
    }
    if (error) entry.reject(error);
    else entry.resolve(data);
    this.pump();
  }

  private clearTimer(entry: Entry, which: 'attemptTimer' | 'waitTimer'): void {
    const timer = entry[which];
    if (timer) clearTimeout(timer);
    entry[which] = null;
  }
}
