/**
 * The clocks the PIN lockout runs on. Neither can be moved from outside: not by the server (whose time the
 * kiosk only estimates from replies a proxy could forge), not by whoever sets the wall clock. Within a run the
 * lockout counts on the process's monotonic clock; across a restart it credits only time it can prove has
 * passed, from the machine's uptime (see PinLockout).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export interface DeviceClock {
  /** Milliseconds that only move forward while this process runs (performance.now()). */
  monotonicMs(): number;
  /** Milliseconds since the machine booted (os.uptime(), CLOCK_BOOTTIME on Linux): survives a process restart, starts over at a reboot. */
  uptimeMs(): number;
}

export const systemDeviceClock: DeviceClock = {
  monotonicMs: () => performance.now(),
  uptimeMs: () => os.uptime() * 1000,
};
