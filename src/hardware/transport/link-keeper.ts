/**
 * Keeps a link open: opens it, and when it ends (or the owner declares it dead) opens it again with
 * exponential backoff, for as long as it is running. Used by the driver and by the simulator, whose ends of
 * a pseudo-terminal both vanish when socat dies and come back when it restarts.
 */
import type { Link, LinkOpener } from './link.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface LinkKeeperHandlers {
  up(link: Link): void;
  down(error: Error): void;
  attemptFailed(error: Error, attempt: number, retryInMs: number): void;
}

export class LinkKeeper {
  private link: Link | null = null;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;

  constructor(
    private readonly open: LinkOpener,
    private readonly backoff: BackoffOptions,
    private readonly handlers: LinkKeeperHandlers,
  ) {}

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
      this.attempt++;
      const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.attempt - 1, 16));
      this.handlers.attemptFailed(toError(err), this.attempt, delay);
      this.schedule(delay);
      return;
    }
    if (!this.running) {
      await link.close().catch(() => undefined);
      return;
    }
    this.attempt = 0;
    this.link = link;
    link.onClose((error) => this.lose(link, error ?? new Error(`${link.description} closed`)));
    this.handlers.up(link);
  }

  private lose(link: Link, error: Error): void {
    if (this.link !== link) return;
    this.link = null;
    if (!this.running) return;
    this.handlers.down(error);
    this.schedule(this.backoff.initialMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tryOpen(), delayMs);
    this.timer.unref();
  }
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
