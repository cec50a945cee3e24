/**
 * Notices the device's wall clock being stepped (NTP on the device, an installer setting the date) by
 * comparing it with the monotonic clock, which never jumps. Without this, a device clock set back an hour
 * would drag the displayed time back an hour until the next server sample.
 */
export class DeviceClockWatch {
  private base: number;

  constructor(
    private readonly wallNow: () => number = Date.now,
    private readonly monoNow: () => number = () => performance.now(),
    private readonly toleranceMs = 1000,
  ) {
    this.base = wallNow() - monoNow();
  }

  /** How far the wall clock jumped since the last check (0 when within tolerance). */
  check(): number {
    const now = this.wallNow() - this.monoNow();
    const delta = now - this.base;
    if (Math.abs(delta) < this.toleranceMs) return 0;
    this.base = now;
    return delta;
  }
}
