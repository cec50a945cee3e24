/**
 * The clock the UI shows: device time plus the server offset, in the machine's time zone. Synchronous at
 * start-up (device time, unsynced); wire-server-link.ts then feeds it server-time samples (heartbeat
 * `server_time`, HTTP `Date` header) and the machine's zone from the bus (`server.timezone`: handshake or
 * timezone sync).
 */
import { ClockSync } from '../clock/clock-sync.js';
import type { KioskContext } from './context.js';

export function setupClock({ core, config }: KioskContext): ClockSync {
  const settings = config.clock;
  const clock = new ClockSync(settings, config.timezone, { onState: (state) => core.emit('clock.state', state) });
  clock.start();
  core.onDispose(() => clock.stop());
  return clock;
}
