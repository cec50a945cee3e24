/**
 * "Apply each command exactly once." The real server deletes heartbeat commands as it hands them out, but
 * a retried heartbeat, a proxy replay or the same command over realtime and heartbeat must still not
 * restart the kiosk twice. Remembers the last few hundred command keys.
 */
export class OnceFilter {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 500) {}

  /** True the first time a key is offered, false after. */
  accept(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}
