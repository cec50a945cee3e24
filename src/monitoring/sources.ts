/**
 * What the kiosk already knows, turned into readings (sensor ids: src/monitoring/sensors.ts). Pure: each
 * function takes the part it reads of the state the kiosk publishes (the contract's payloads:
 * `hardware.status`, `detection.state`, `outbox.state`, `clock.state`, …) and a time. A value the kiosk does not have (no
 * temperature sensor, an unsynced clock) is simply not read, rather than read as 0.
 */
import type { z } from 'zod';
import type { DetectionState } from '../contract/detection.js';
import type { HardwareStatus } from '../contract/hardware.js';
import type { OutboxState } from '../contract/outbox.js';
import type { ServerLinkState } from '../contract/server.js';
import type { ClockState, MachineStatus } from '../contract/system.js';
import type { BinLevels, Reading } from '../domain/events.js';

type Out = Reading[];
const push = (out: Out, sensor: string, value: number | null | undefined, at: number) => {
  if (value !== null && value !== undefined && Number.isFinite(value)) out.push({ sensor, value, at });
};
const flag = (on: boolean) => (on ? 1 : 0);

export function binReadings(levels: BinLevels, at: number): Reading[] {
  return Object.entries(levels.bins).map(([bin, level]) => ({ sensor: `bin.${bin}`, value: level.percent, at }));
}

export function hardwareReadings(status: Pick<z.output<typeof HardwareStatus>, 'bins' | 'temperatureC' | 'weightGrams' | 'door' | 'itemPresent' | 'faults'> & { link: { status: string } }, at: number): Reading[] {
  const out: Out = binReadings(status.bins, at);
  push(out, 'machine.temperature', status.temperatureC, at);
  push(out, 'machine.weight', status.weightGrams, at);
  if (status.door) {
    push(out, 'machine.door_open', flag(status.door.open), at);
    push(out, 'machine.door_locked', flag(status.door.locked), at);
  }
  push(out, 'machine.item_present', flag(status.itemPresent), at);
  push(out, 'machine.jammed', flag(status.faults.includes('jam')), at);
  push(out, 'machine.faults', status.faults.length, at);
  push(out, 'machine.link_up', flag(status.link.status === 'connected'), at);
  return out;
}

/** A camera that has not been tried yet (`unknown`) counts as there; only `unavailable` is lost. */
export function detectionReadings(state: Pick<z.output<typeof DetectionState>, 'status' | 'model' | 'camera' | 'lastInferenceMs'>, at: number): Reading[] {
  const out: Out = [];
  push(out, 'detection.camera_ok', flag(state.camera.status !== 'unavailable'), at);
  // While it loads the model is not there yet: the rule's duration (a minute) covers a normal start.
  push(out, 'detection.model_loaded', flag(state.status === 'ready' && state.model !== null), at);
  push(out, 'detection.inference_ms', state.lastInferenceMs, at);
  return out;
}

export function outboxReadings(state: Pick<z.output<typeof OutboxState>, 'pending' | 'failed' | 'oldestPendingAt'>, at: number): Reading[] {
  const out: Out = [];
  push(out, 'outbox.pending', state.pending, at);
  push(out, 'outbox.failed', state.failed, at);
  const oldest = state.oldestPendingAt === null ? null : Date.parse(state.oldestPendingAt);
  push(out, 'outbox.oldest_age_s', oldest === null ? 0 : Math.max(0, Math.round((at - oldest) / 1000)), at);
  return out;
}

/** The offset says something only once the clock has synced with the server. */
export function clockReadings(state: Pick<z.output<typeof ClockState>, 'offsetMs' | 'synced'>, at: number): Reading[] {
  if (!state.synced) return [];
  return [
    { sensor: 'clock.offset_ms', value: state.offsetMs, at },
    { sensor: 'clock.drift_ms', value: Math.abs(state.offsetMs), at },
  ];
}

export function serverReadings(state: Pick<z.output<typeof ServerLinkState>, 'link'>, at: number): Reading[] {
  return [{ sensor: 'server.online', value: flag(state.link === 'online'), at }];
}

export function statusReadings(status: Pick<z.output<typeof MachineStatus>, 'state'>, at: number): Reading[] {
  return [{ sensor: 'machine.out_of_service', value: flag(status.state === 'out_of_service'), at }];
}

export interface HostFigures {
  cpuPercent: number;
  memoryPercent: number;
  cpuTemperature?: number | undefined;
  /** The kiosk process's resident memory (core, inference worker, native libraries). */
  rssBytes: number;
  /** The core thread's JS heap in use. */
  heapUsedBytes: number;
  freeDiskBytes: number | null;
}

export function hostReadings(host: HostFigures, at: number): Reading[] {
  const out: Out = [];
  push(out, 'system.cpu_percent', host.cpuPercent, at);
  push(out, 'system.memory_percent', host.memoryPercent, at);
  push(out, 'system.cpu_temperature', host.cpuTemperature, at);
  push(out, 'system.rss_mb', Math.round(host.rssBytes / 1024 / 1024), at);
  push(out, 'system.heap_used_mb', Math.round(host.heapUsedBytes / 1024 / 1024), at);
  push(out, 'disk.free_mb', host.freeDiskBytes === null ? null : Math.floor(host.freeDiskBytes / 1024 / 1024), at);
  return out;
}
