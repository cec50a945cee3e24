/**
 * When to flush. A new record schedules a pass after a short delay (so a busy session goes out as one
 * batch); a "later" from the server schedules the next pass with exponential backoff (or the server's
 * Retry-After, bounded by `maxServerDelayMs`); new records during a backoff wait for it instead of
 * hammering a dead server. A manual push skips the wait. Only one pass runs at a time, so records always
 * leave in order.
 *
 * An ack that cannot be written (full disk) pauses delivery: nothing more is sent — above all not the
 * records the server already has — until a slow timer (`ackRetryMs`) manages to write that ack. Each pass,
 * manual ones included, first writes any pending ack and sends nothing if it cannot.
 */
import { backoffDelay, clampTimerMs, type BackoffPolicy } from '../core/backoff.js';
import { createLogger } from '../log/logger.js';
import type { CreditJournal } from './credit-journal.js';
import { runFlushPass, type PassReport } from './flush-pass.js';
import type { StoredCredit } from './journal-entries.js';
import type { OutboxSender } from './sender.js';

const log = createLogger('outbox');

export interface FlusherOptions {
  batchSize: number;
  flushDelayMs: number;
  sendTimeoutMs: number;
  backoff: BackoffPolicy;
  /** Cap on a server-supplied wait (Retry-After); `outbox.maxServerDelayMs`. */
  maxServerDelayMs: number;
  poisonStrikes?: number;
  /** How often a pending ack is retried while delivery is paused; `outbox.ackRetryMs`. */
  ackRetryMs?: number;
  random?: () => number;
}

/** What the outbox adds around the flusher: the hold switch, and the push history of automatic passes. */
export interface FlusherHooks {
  /** While true, no automatic pass runs and none is scheduled; `release()` starts one. */
  held?: () => boolean;
  onAutomaticPass?: (report: PassReport) => void;
}

export interface FlusherInfo {
  attached: boolean;
  flushing: boolean;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastPushAt: number | null;
  lastError: string | null;
}

export class Flusher {
  private sender: OutboxSender | null = null;
  private timer: NodeJS.Timeout | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Per record, 5xx answers to it alone (see flush-pass.ts); in memory, so a restart starts over. */
  private readonly strikes = new Map<string, number>();
  private readonly state: FlusherInfo = {
    attached: false, flushing: false, consecutiveFailures: 0, nextAttemptAt: null, lastAttemptAt: null, lastPushAt: null, lastError: null,
  };

  constructor(
    private readonly journal: CreditJournal,
    private readonly options: FlusherOptions,
    private readonly onChange: () => void,
    private readonly hooks: FlusherHooks = {},
  ) {}

  get info(): FlusherInfo {
    return { ...this.state };
  }

  attach(sender: OutboxSender): void {
    this.sender = sender;
    this.state.attached = true;
    this.kick(0);
  }

  /** Whether an automatic pass is waiting on its timer (the attach pass, a batch delay, a backoff wait). */
  get passScheduled(): boolean {
    return this.timer !== null;
  }

  /** Ask for a flush soon. Ignored while a backoff wait is running: that timer will flush. */
  kick(delayMs = this.options.flushDelayMs): void {
    if (!this.sender || this.stopped || this.state.nextAttemptAt !== null || this.timer || this.hooks.held?.()) return;
    this.timer = setTimeout(() => void this.autoFlush(), clampTimerMs(delayMs));
  }

  /** Flush now, ignoring any backoff, the records `include` picks (parked ones too, if it says so). */
  pushNow(include: (item: StoredCredit) => boolean): Promise<PassReport> {
    const sender = this.sender;
    if (!sender) return Promise.reject(new Error('the server link is not attached yet'));
    return this.exclusive(async () => {
      const report = await this.pass(sender, include);
      if (report.outcome === 'ok') this.resetBackoff();
      return report;
    });
  }

  /**
   * The hold was switched on: drop a scheduled pass and any backoff wait (a pass in flight finishes, it
   * cannot be recalled). Switched off: `retrySoon()` starts sending again.
   */
  hold(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state.nextAttemptAt = null;
    this.onChange();
  }

  /** The link is back (e.g. the realtime channel reconnected): cut the current backoff wait short. */
  retrySoon(): void {
    if (this.state.nextAttemptAt === null) return this.kick(0);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state.nextAttemptAt = null;
    this.kick(0);
  }

  /**
   * Stop scheduling and give a pass in flight a moment to journal its ack. A send hanging longer is
   * abandoned: its batch stays owed and goes again after the restart (within the duplicate bound).
   */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.turn, new Promise((resolve) => (grace = setTimeout(resolve, clampTimerMs(graceMs))))]);
    clearTimeout(grace);
  }

  private async autoFlush(): Promise<void> {
    this.timer = null;
    this.state.nextAttemptAt = null;
    const sender = this.sender;
    if (!sender || this.stopped || this.hooks.held?.()) return;
    const report = await this.exclusive(() => this.pass(sender, (item) => !item.failure));
    this.hooks.onAutomaticPass?.(report);
    if (this.stopped) return;
    if (this.journal.ackPending > 0) {
      // Paused: the server has records whose ack is not on disk. Sending more would only add to them, and a
      // backoff retry would send them again. Retry the ack, slowly; sending resumes once it is written.
      const delay = clampTimerMs(this.options.ackRetryMs ?? 30_000);
      this.state.nextAttemptAt = Date.now() + delay;
      log.error('delivery paused: the ack could not be written; retrying the ack only', { ackPending: this.journal.ackPending, error: report.message, retryInMs: delay });
      this.timer = setTimeout(() => void this.autoFlush(), delay);
      this.onChange();
      return;
    }
    if (report.outcome === 'retryable') {
      this.state.consecutiveFailures += 1;
      const hint = report.retryAfterMs;
      const delay =
        hint === undefined || Number.isNaN(hint)
          ? backoffDelay(this.state.consecutiveFailures, this.options.backoff, this.options.random)
          : this.serverDelay(hint);
      this.state.nextAttemptAt = Date.now() + delay;
      log.warn('outbox flush failed; will retry', { error: report.message, retryInMs: delay, failures: this.state.consecutiveFailures });
      this.timer = setTimeout(() => void this.autoFlush(), delay);
      this.onChange();
      return;
    }
    this.resetBackoff();
    // Records that arrived during the pass were skipped by kick(): look again.
    for (const item of this.journal.list()) {
      if (!item.failure) return this.kick(0);
    }
  }

  /**
   * The server's own "later", honoured within bounds: at most `maxServerDelayMs` (a day-long Retry-After
   * would hold every credit back for a day; one past 2^31−1 ms would overflow setTimeout into a 1 ms loop),
   * and at least `backoff.firstMs` (a "Retry-After: 0" answered again and again must not spin either).
   */
  private serverDelay(askedMs: number): number {
    const { maxServerDelayMs, backoff } = this.options;
    const delay = clampTimerMs(Math.max(backoff.firstMs, Math.min(askedMs, maxServerDelayMs)));
    if (delay !== askedMs) log.warn("server's retry delay out of bounds; using the bound", { askedMs, delayMs: delay });
    return delay;
  }

  private resetBackoff(): void {
    const wasWaiting = this.state.nextAttemptAt !== null;
    this.state.consecutiveFailures = 0;
    this.state.nextAttemptAt = null;
    if (wasWaiting && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.kick(0);
    }
    this.onChange();
  }

  private async pass(sender: OutboxSender, include: (item: StoredCredit) => boolean): Promise<PassReport> {
    this.state.flushing = true;
    this.onChange();
    try {
      if (this.journal.ackPending > 0) await this.journal.retryAcks(); // throws while the disk still refuses it
      return await runFlushPass(this.journal, sender, {
        batchSize: this.options.batchSize,
        sendTimeoutMs: this.options.sendTimeoutMs,
        include,
        // Failing twice in a row at the same place: look record by record for the one to blame.
        isolateFirst: this.state.consecutiveFailures >= 2,
        strikes: this.strikes,
        poisonStrikes: this.options.poisonStrikes ?? 5,
        onProgress: (result) => {
          this.state.lastAttemptAt = Date.now();
          if (result.kind === 'ok') {
            this.state.lastPushAt = this.state.lastAttemptAt;
            this.state.lastError = null;
          } else {
            if (result.accepted) this.state.lastPushAt = this.state.lastAttemptAt;
            this.state.lastError = result.message;
          }
          this.onChange();
        },
      });
    } catch (err) {
      // A journal write failed (disk full, I/O error): nothing was lost, the records stay owed. If it was an
      // ack, the records it names stay out of every pass (`ackPending`) until it is written.
      const message = err instanceof Error ? err.message : String(err);
      log.error('outbox flush pass failed', { error: message });
      this.state.lastError = message;
      return { outcome: 'retryable', attempted: 0, pushed: 0, failed: 0, message };
    } finally {
      this.state.flushing = false;
      this.onChange();
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(task, task);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
