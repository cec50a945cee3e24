/**
 * Which IANA zone the machine shows. Order of trust: a local override (installer's setting), the v2
 * timezone-sync endpoint, the handshake's `data.kiosk.timezone`, the kiosk config, then the configured
 * default. The kiosk config ranks below the handshake on purpose: today's MyRVM-Server answers
 * "Asia/Jakarta" there for every machine (it has no column to read), which would move a machine in
 * Makassar to the wrong zone every 30 seconds.
 */
import { isValidTimeZone } from '../domain/timezone.js';
import { zoneAbbreviation } from './timezone.js';

export type TimezoneSource = 'local' | 'timezone_sync' | 'handshake' | 'kiosk_config';

const RANK: TimezoneSource[] = ['local', 'timezone_sync', 'handshake', 'kiosk_config'];

export class TimezoneChoice {
  private readonly bySource = new Map<TimezoneSource, string>();
  private readonly fallback: string;

  constructor(fallback: string, override: string | null) {
    this.fallback = isValidTimeZone(fallback) ? fallback : 'Asia/Jakarta';
    if (override && isValidTimeZone(override)) this.bySource.set('local', override);
  }

  set(zone: string, source: TimezoneSource): boolean {
    if (!isValidTimeZone(zone)) return false;
    this.bySource.set(source, zone);
    return true;
  }

  get current(): string {
    return this.bySource.get(this.source as TimezoneSource) ?? this.fallback;
  }

  /** Where the current zone came from; `config` when nothing better has said anything. */
  get source(): TimezoneSource | 'config' {
    return RANK.find((source) => this.bySource.has(source)) ?? 'config';
  }

  abbreviation(at: number): string {
    return zoneAbbreviation(this.current, new Date(at));
  }
}
