/**
 * Indonesian time-zone abbreviations. Intl gives "GMT+7" for Asia/Jakarta, but every Indonesian reads WIB,
 * WITA and WIT, so those three are mapped by hand; other zones use Intl's short name.
 */
const INDONESIA: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};


export function zoneAbbreviation(zone: string, at: Date = new Date()): string {
  const known = INDONESIA[zone];
  if (known) return known;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
  } catch {
    return zone;
  }
}
