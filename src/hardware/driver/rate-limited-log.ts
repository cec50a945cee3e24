/**
 * Logs at most `limit` lines per window and then one summary, so a controller spewing garbage cannot
 * flood the log (every dropped frame is still counted in the link counters).
 */
import type { Logger } from '../../log/logger.js';

export class RateLimitedLog {
  private windowStart = 0;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly limit = 10,
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string, fields: Record<string, unknown>): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) this.log.warn(`${message}: ${this.suppressed} more not logged`, { windowMs: this.windowMs });
      this.windowStart = now;
      this.inWindow = 0;
      this.suppressed = 0;
    }
    if (this.inWindow < this.limit) {
      this.inWindow++;
      this.log.warn(message, fields);
    } else {
      this.suppressed++;
    }
  }
}

/** Hex of the first `max` bytes, with the full length when cut. */
export function hexPreview(bytes: Buffer, max = 64): string {
  const hex = bytes.subarray(0, max).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > max ? `${hex} … (${bytes.length} bytes)` : hex;
}
