/**
 * Counts repeats of a keyed line so a flood of identical lines costs a handful of writes. Per key, a window
 * opens at the first occurrence: the first `burst` occurrences pass at once (the first line is never delayed),
 * later ones in the window are only counted, and when the window ends one summary is emitted with the count
 * and the first occurrence's item. A key never seen before always passes, so distinct lines are never held back.
 *
 * The logger uses this for every line it writes (src/log/logger.ts); it is the only rate limit for log lines.
 * The window end is a timer (unref'd: it never keeps the process alive), and is also checked on every call,
 * so a timer lost to a test's fake clock cannot leave a key muted.
 */
export interface RepeatLimitOptions {
  /** Occurrences of one key written in full per window. */
  burst: number;
  /** Window length, from the first occurrence of the key. */
  windowMs: number;
  /** Keys tracked before finished windows are swept early (bounds memory with many distinct lines). */
  maxKeys?: number;
  now?: () => number;
}

export type RepeatSummary<T> = (first: T, repeated: number, windowMs: number) => void;

interface Entry<T> {
  start: number;
  seen: number;
  suppressed: number;
  first: T;
  timer: ReturnType<typeof setTimeout> | null;
}

export class RepeatLimiter<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(
    readonly options: RepeatLimitOptions,
    private readonly summary: RepeatSummary<T>,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.maxKeys = options.maxKeys ?? 1000;
  }

  /** True when this occurrence should be written; false when it is only counted. */
  admit(key: string, item: T): boolean {
    const now = this.now();
    let entry = this.entries.get(key);
    // `now < start`: the clock went back (a test swapped fake timers for real ones); start afresh.
    if (entry && (now - entry.start >= this.options.windowMs || now < entry.start)) {
      this.close(key, entry);
      entry = undefined;
    }
    if (!entry) {
      if (this.entries.size >= this.maxKeys) this.sweep(now);
      entry = { start: now, seen: 0, suppressed: 0, first: item, timer: null };
      this.entries.set(key, entry);
    }
    entry.seen += 1;
    if (entry.seen <= this.options.burst) return true;
    entry.suppressed += 1;
    if (!entry.timer) {
      const open = entry;
      open.timer = setTimeout(() => this.entries.get(key) === open && this.close(key, open), Math.max(0, open.start + this.options.windowMs - now));
      (open.timer as { unref?: () => void }).unref?.();
    }
    return false;
  }

  /** Lines counted and not yet summarised, over all keys. */
  get pending(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.suppressed;
    return total;
  }

  /** Emit every pending summary now and forget all windows (process exit, tests, reconfiguration). */
  flush(): void {
    for (const [key, entry] of [...this.entries]) this.close(key, entry);
  }

  private close(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (entry.suppressed > 0) this.summary(entry.first, entry.suppressed, this.options.windowMs);
  }

  /** Too many keys: drop finished windows, then keys with nothing counted; as a last resort summarise all. */
  private sweep(now: number): void {
    for (const [key, entry] of [...this.entries]) {
      if (now - entry.start >= this.options.windowMs || now < entry.start) this.close(key, entry);
    }
    if (this.entries.size < this.maxKeys) return;
    for (const [key, entry] of [...this.entries]) if (entry.suppressed === 0) this.close(key, entry);
    if (this.entries.size >= this.maxKeys) this.flush();
  }
}
