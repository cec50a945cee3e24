/**
 * Machine-controller link: link state and counters for the maintenance screen, bin levels, technician
 * hardware tests, and (demo only) a simulated item insertion so the whole deposit flow can be walked.
 */
import { z } from 'zod';
import { command, technicianCommand } from './define.js';

export const HardwareBin = z.enum(['plastic', 'can', 'glass', 'reject']);

const count = z.number().int().nonnegative();

export const LinkCounters = z.object({
  framesIn: count,
  framesOut: count,
  bytesIn: count,
  bytesOut: count,
  malformed: count,
  naks: count,
  timeouts: count,
  retries: count,
  reconnects: count,
  staleReplies: count,
  missedFrames: count,
});

export const HardwareState = z.object({
  status: z.enum(['connecting', 'connected', 'reconnecting', 'lost', 'stopped']),
  /** Epoch ms of the last status change; for `lost` and `reconnecting`, when the link went down. */
  since: z.number(),
  port: z.string().nullable(),
  /** `in-process` means the simulator runs without a pseudo-terminal (socat missing). */
  transport: z.enum(['serial', 'pty', 'in-process']),
  dialect: z.enum(['rvm1', 'myrvm-legacy']),
  firmware: z.string().nullable(),
  attempts: count,
  lastError: z.string().nullable(),
  simulated: z.boolean(),
  counters: LinkCounters,
});

const BinLevel = z.object({ percent: z.number().min(0).max(100), full: z.boolean() });

export const BinLevels = z.object({
  thresholdPercent: z.number(),
  bins: z.object({ plastic: BinLevel, can: BinLevel, glass: BinLevel, reject: BinLevel }),
  /** Epoch ms of the latest reading; null until the controller has reported. */
  updatedAt: z.number().nullable(),
});

export const HardwareStatus = z.object({
  link: HardwareState,
  bins: BinLevels,
  door: z.object({ open: z.boolean(), locked: z.boolean() }).nullable(),
  temperatureC: z.number().nullable(),
  weightGrams: z.number().nullable(),
  itemPresent: z.boolean(),
  /** Active controller faults: jam, sensor_stuck, overcurrent… */
  faults: z.array(z.string()),
});

export const HardwareTestAction = z.enum(['conveyor', 'gate', 'door_lock', 'door_unlock', 'lights', 'buzzer', 'tare', 'ping']);

export const SimulatedFault = z.enum(['jam', 'sensor_stuck', 'overcurrent', 'pulled_back', 'bin_full', 'link_drop', 'garbage']);

export const hardwareCommands = {
  'hardware.status': command(z.object({}).strict(), HardwareStatus),
  /** A technician's hardware test. Failure is a result (ok: false, detail says why), not an error. */
  'hardware.test': technicianCommand(
    z.object({ action: HardwareTestAction }).strict(),
    z.object({ action: HardwareTestAction, ok: z.boolean(), roundTripMs: z.number().nonnegative(), detail: z.string() }),
  ),
  /** Demo only: put an item in the simulated intake. Fails with a clear error with a real controller. */
  'hardware.simulateInsert': command(
    z.object({ kind: z.enum(['pet', 'can', 'glass', 'other']), weightGrams: z.number().positive().max(5000).optional() }).strict(),
    z.object({ kind: z.string(), weightGrams: z.number(), volumeMl: z.number() }),
  ),
  /** Demo only: inject (or clear) a simulator fault. `bin` is for bin_full (default plastic). */
  'hardware.simulateFault': command(
    z.object({ fault: SimulatedFault, active: z.boolean().default(true), bin: HardwareBin.optional() }).strict(),
    z.object({ fault: SimulatedFault, active: z.boolean() }),
  ),
} as const;

export const hardwareEvents = {
  'hardware.state': HardwareState,
  'hardware.bins': BinLevels,
  /**
   * The intake beam: something lies in the intake (true), it is clear (false), or not known yet (null). The
   * session screen keeps "take your item back" up while a handed-back item still lies there.
   */
  'hardware.intake': z.object({ present: z.boolean().nullable() }),
} as const;
