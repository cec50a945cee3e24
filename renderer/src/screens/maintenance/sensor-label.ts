import { hasString } from '../../i18n/strings.js';
import { kioskStore } from '../../store/store.js';

/** A sensor's name in the screen's language; the core's English label for a sensor the tables do not know yet. */
export function sensorLabel(t: (key: string) => string, sensor: string, fallback: string): string {
  const key = `maintenance.sensor.${sensor}`;
  return hasString(kioskStore.getState().language, key) ? t(key) : fallback;
}
