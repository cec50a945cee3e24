/**
 * The clock the UI shows: device time plus the server offset, in the machine's time zone. Synchronous at
 * start-up (device time, unsynced); the server link then feeds it:
 *   serverHub(core).onTimeSample((s) => clock.addSample(s)); // heartbeat server_time, HTTP Date header
 *   clock.setTimezone(reply.data.kiosk.timezone, 'handshake'); // or 'kiosk_config', 'timezone_sync'
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
