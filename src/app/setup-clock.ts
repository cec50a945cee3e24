/** The clock the UI shows: device time plus the server offset, in the machine's time zone. */
import { isValidTimeZone, zoneAbbreviation } from '../clock/timezone.js';
import type { KioskContext } from './context.js';

export function setupClock({ core, config }: KioskContext): void {
  const timezone = isValidTimeZone(config.timezone) ? config.timezone : 'Asia/Jakarta';
  core.emit('clock.state', {
    offsetMs: 0,
    timezone,
    abbreviation: zoneAbbreviation(timezone),
    synced: false,
    source: 'device',
    driftAlarm: false,
  });
}
