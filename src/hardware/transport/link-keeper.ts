/**
 * Keeps a link open: opens it, and when it ends (or the owner declares it dead) opens it again with
 * exponential backoff, for as long as it is running. Used by the driver and by the simulator, whose ends of
 * a pseudo-terminal both vanish when socat dies and come back when it restarts.
 */
import { Backoff, clampTimerMs, type BackoffPolicy } from '../../core/backoff.js';
import type { Link, LinkOpener } from './link.js';

export interface LinkKeeperHandlers {
  up(link: Link): void;
  down(error: Error): void;
  attemptFailed(error: Error, attempt: number, retryInMs: number): void;
}

export class LinkKeeper {
  private link: Link | null = null;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  /** `policy` spaces failed opens; the first reopen after a link was lost waits `policy.firstMs`. */
  constructor(
    private readonly open: LinkOpener,
    private readonly policy: BackoffPolicy,
    private readonly handlers: LinkKeeperHandlers,
  ) {
    this.backoff = new Backoff(policy);
  }

  get current(): Link | null {
    return this.link;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tryOpen();
  }

  /** Close the current link as dead (e.g. heartbeat lost) and reconnect. */
  drop(reason: Error): void {
    const link = this.link;
    if (!link) return;
    this.lose(link, reason);
    void link.close().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const link = this.link;
    this.link = null;
    if (link) await link.close().catch(() => undefined);
  }

  private async tryOpen(): Promise<void> {
    this.timer = null;
    if (!this.running) return;
    let link: Link;
    try {
      link = await this.open();
    } catch (err) {
      if (!this.running) return;
      const delay = this.backoff.next();
      this.handlers.attemptFailed(toError(err), this.backoff.attempts, delay);
      this.schedule(delay);
      return;
    }
    if (!this.running) {
      await link.close().catch(() => undefined);
      return;
    }
    this.backoff.reset();
    this.link = link;
    link.onClose((error) => this.lose(link, error ?? new Error(`${link.description} closed`)));
    this.handlers.up(link);
  }

  private lose(link: Link, error: Error): void {
    if (this.link !== link) return;
    this.link = null;
    if (!this.running) return;
    this.handlers.down(error);
    this.schedule(this.policy.firstMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tryOpen(), clampTimerMs(delayMs));
    this.timer.unref();
  }
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
