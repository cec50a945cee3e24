/**
 * Every thermal zone the kernel exposes (/sys/class/thermal/thermal_zone*), °C by the zone's `type`, for the
 * designed metrics. A Jetson has several (CPU-therm, GPU-therm, AO-therm, …); the heartbeat's single
 * `cpu_temperature` is only the first. Containers and VMs often have none: an empty object, never an error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function thermalZones(root = '/sys/class/thermal'): Record<string, number> {
  const out: Record<string, number> = {};
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.startsWith('thermal_zone')).sort((a, b) => Number(a.slice(12)) - Number(b.slice(12)));
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const milli = Number(readFileSync(path.join(root, name, 'temp'), 'utf8').trim());
      if (!Number.isFinite(milli)) continue;
      let type = name;
      try {
        type = readFileSync(path.join(root, name, 'type'), 'utf8').trim() || name;
      } catch {
        // no type file: the zone's directory name
      }
      // Two zones of the same type (possible) keep both: the second gets its directory name.
      out[type in out ? `${type}.${name}` : type] = Math.round(milli / 100) / 10;
    } catch {
      // an unreadable zone (some report EINVAL while powered down) is left out
    }
  }
  return out;
}
