/**
 * Every sensor the kiosk records, by id: its unit, the range a threshold must lie in (so a rule with an
 * impossible threshold is refused at start), and its deadband — a change smaller than that is not worth a
 * line in the history (the reading is still judged by the rules; it is written at the next heartbeat).
 * Flags are 1 or 0. Counts ending in `_1h` are events within the last hour.
 */
export interface SensorSpec {
  label: string;
  unit: string;
  min: number;
  max: number;
  /** Smallest change written at once; 0 = any change. */
  deadband: number;
}

const percent = (label: string, deadband = 0): SensorSpec => ({ label, unit: '%', min: 0, max: 100, deadband });
const flag = (label: string): SensorSpec => ({ label, unit: 'flag', min: 0, max: 1, deadband: 0 });
const count = (label: string): SensorSpec => ({ label, unit: 'count', min: 0, max: Number.MAX_SAFE_INTEGER, deadband: 0 });

export const SENSORS = {
  'bin.plastic': percent('Plastic (PET) bin fill'),
  'bin.can': percent('Can bin fill'),
  'bin.glass': percent('Glass bin fill'),
  'bin.reject': percent('Reject bin fill'),
  'machine.temperature': { label: 'Machine temperature', unit: '°C', min: -40, max: 125, deadband: 0.5 },
  'machine.weight': { label: 'Load cell', unit: 'g', min: 0, max: 100_000, deadband: 2 },
  'machine.door_open': flag('Service door open'),
  'machine.door_locked': flag('Service door locked'),
  'machine.item_present': flag('Item in the intake'),
  'machine.jammed': flag('Intake jammed'),
  'machine.faults': count('Active controller faults'),
  'machine.jams_1h': count('Jams in the last hour'),
  'machine.link_up': flag('Controller link up'),
  'machine.out_of_service': flag('Machine out of service'),
  'detection.camera_ok': flag('Camera available'),
  'detection.model_loaded': flag('Detection model loaded'),
  'detection.errors_1h': count('Detector errors in the last hour'),
  'detection.inference_ms': { label: 'Last inference time', unit: 'ms', min: 0, max: 600_000, deadband: 20 },
  'outbox.pending': count('Credits waiting for the server'),
  'outbox.failed': count('Credits the server refused'),
  'outbox.oldest_age_s': { label: 'Age of the oldest credit owed', unit: 's', min: 0, max: Number.MAX_SAFE_INTEGER, deadband: 60 },
  'server.online': flag('Server link online'),
  'disk.free_mb': { label: 'Free disk (data folder)', unit: 'MB', min: 0, max: Number.MAX_SAFE_INTEGER, deadband: 10 },
  'clock.offset_ms': { label: 'Server clock offset', unit: 'ms', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, deadband: 100 },
  'clock.drift_ms': { label: 'Clock drift from the server', unit: 'ms', min: 0, max: Number.MAX_SAFE_INTEGER, deadband: 100 },
  'system.cpu_percent': percent('Computer CPU use', 5),
  'system.memory_percent': percent('Computer memory use', 1),
  'system.cpu_temperature': { label: 'Computer temperature', unit: '°C', min: -40, max: 125, deadband: 0.5 },
  'system.rss_mb': { label: 'Kiosk process memory', unit: 'MB', min: 0, max: 1_000_000, deadband: 5 },
  // RSS climbing while this stays flat means native memory (detector, image handling), not JavaScript.
  'system.heap_used_mb': { label: 'Kiosk JavaScript heap', unit: 'MB', min: 0, max: 1_000_000, deadband: 5 },
} as const satisfies Record<string, SensorSpec>;

export type SensorId = keyof typeof SENSORS;

export function sensorSpec(sensor: string): SensorSpec | undefined {
  return (SENSORS as Record<string, SensorSpec>)[sensor];
}

export const SENSOR_IDS = Object.keys(SENSORS) as SensorId[];
