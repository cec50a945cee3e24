/**
 * Which readings are worth a line in the history: a sensor's first reading, a change of at least its
 * deadband since the last one written, and every sensor at least once per heartbeat even when nothing
 * changed (so a chart and a "last seen" never go blank). Every reading is still judged by the rules.
 */
import type { Reading } from '../domain/events.js';

export class ChangeFilter {
  private readonly written = new Map<string, { value: number; at: number }>();

  constructor(
    private readonly heartbeatMs: number,
    private readonly deadbandOf: (sensor: string) => number,
  ) {}

  /** The readings to write; call `markWritten` with them once they are on disk. */
  select(readings: readonly Reading[]): Reading[] {
    return readings.filter((r) => {
      const last = this.written.get(r.sensor);
      if (!last || r.at - last.at >= this.heartbeatMs) return true;
      const deadband = this.deadbandOf(r.sensor);
      return deadband > 0 ? Math.abs(r.value - last.value) >= deadband : r.value !== last.value;
    });
  }

  markWritten(readings: readonly Reading[]): void {
    for (const r of readings) this.written.set(r.sensor, { value: r.value, at: r.at });
  }
}

/** Events in a sliding window (detector errors, jams in the last hour). */
export class EventWindow {
  private readonly times: number[] = [];

  constructor(private readonly windowMs: number) {}

  note(at: number): void {
    this.times.push(at);
  }

  count(now: number): number {
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }
}
