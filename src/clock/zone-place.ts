/**
 * Country and city of an IANA zone, for the timezone-sync report (the design sends `country` and `city`).
 * The kiosk never asks an IP-geolocation service (the old Jetson client did): a machine may be offline or
 * behind a VPN, and its location is not a third party's business. Indonesian zones come from a table (the
 * city a zone is named after is not where most of its machines stand: Asia/Makassar is all of WITA); any
 * other zone takes its country from the system's tz database (`zone.tab`, country code → English name) and its
 * city from the zone's own name. Unknown parts are null.
 */
import { readFileSync } from 'node:fs';

export interface ZonePlace {
  country: string | null;
  city: string | null;
}

const INDONESIA: Record<string, ZonePlace> = {
  'Asia/Jakarta': { country: 'Indonesia', city: 'Jakarta' },
  'Asia/Pontianak': { country: 'Indonesia', city: 'Pontianak' },
  'Asia/Makassar': { country: 'Indonesia', city: 'Makassar' },
  'Asia/Ujung_Pandang': { country: 'Indonesia', city: 'Makassar' },
  'Asia/Jayapura': { country: 'Indonesia', city: 'Jayapura' },
};

const ZONE_TAB = '/usr/share/zoneinfo/zone.tab';
const tables = new Map<string, Map<string, string>>();

/** zone → ISO country code, from zone.tab (read once per file; empty where it is missing, e.g. on Windows). */
function codes(file: string): Map<string, string> {
  const cached = tables.get(file);
  if (cached) return cached;
  const countryCodes = new Map<string, string>();
  tables.set(file, countryCodes);
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith('#')) continue;
      const [code, , zone] = line.split('\t');
      if (code && zone) countryCodes.set(zone.trim(), code);
    }
  } catch {
    // No tz database on this system: countries stay unknown.
  }
  return countryCodes;
}

export function zonePlace(zone: string, zoneTab: string = ZONE_TAB): ZonePlace {
  const known = INDONESIA[zone];
  if (known) return known;
  const code = codes(zoneTab).get(zone);
  let country: string | null = null;
  if (code) {
    try {
      country = new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? null;
    } catch {
      country = null;
    }
  }
  const last = zone.includes('/') ? zone.split('/').at(-1) : undefined;
  return { country, city: last ? last.replaceAll('_', ' ') : null };
}
