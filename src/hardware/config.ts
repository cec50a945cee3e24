import { z } from 'zod';
import { MAX_TIMER_MS } from '../core/backoff.js';

/**
 * Machine controller link. `simulator` (the default) runs the built-in controller simulator on a socat
 * pseudo-terminal; `serial` opens the real controller. Every field has a default: an empty section is the demo.
 */
const hexId = z.string().regex(/^(0x)?[0-9a-fA-F]{4}$/, 'a 4-digit hex USB id such as 10c4');

const serialConfig = z.object({
  /** A device path; prefer a stable `/dev/serial/by-id/...` link over `/dev/ttyUSBn`. */
  path: z.string().min(1).optional(),
  /** Just the name under /dev/serial/by-id. */
  byId: z.string().min(1).optional(),
  /** Find the adapter by USB id with SerialPort.list(), e.g. `{ vendorId: '10c4', productId: 'ea60' }`. */
  usb: z.object({ vendorId: hexId, productId: hexId, serialNumber: z.string().optional() }).strict().optional(),
  baudRate: z.number().int().positive().default(115200),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
}).strict();

/** A duration that ends up in a timer, so it must fit setTimeout (longer ones would fire after 1 ms). */
const ms = (value: number) => z.number().int().positive().max(MAX_TIMER_MS).default(value);

/** Reply timeout per command: movements ACK when done, so they get longer than a ping. */
const commandTimeouts = z.object({
  ping: ms(500),
  conveyor: ms(500),
  gate: ms(1500),
  door: ms(1500),
  lights: ms(500),
  buzzer: ms(1000),
  tare: ms(2000),
  status: ms(500),
}).strict();

const simulatorConfig = z.object({
  /** `realistic` movement times for the demo; `instant` for tests and benchmarks. */
  timings: z.enum(['realistic', 'instant']).default('realistic'),
  /** `pty` needs socat; `auto` falls back to an in-process link (and says so) where socat is missing. */
  transport: z.enum(['auto', 'pty', 'in-process']).default('auto'),
  /**
   * Items the simulated conveyor carries at once (protocol 3): while one rides to its bin the next is weighed,
   * photographed and sorted. 1 = one item at a time, like a protocol 2 controller.
   */
  belt: z.number().int().min(1).max(8).default(3),
}).strict();

export const hardwareConfig = z.object({
  mode: z.enum(['simulator', 'serial']).default('simulator'),
  /** `rvm1`: our framed protocol. `myrvm-legacy`: the MyRVM ESP32 firmware's plain ASCII lines. */
  dialect: z.enum(['rvm1', 'myrvm-legacy']).default('rvm1'),
  serial: serialConfig.prefault({}),
  heartbeatMs: ms(1000),
  /** Silence from the controller for this long = dead link, reopened. */
  deadAfterMs: ms(3500),
  /** Reconnecting for this long = reported as `lost`. */
  lostAfterMs: ms(15_000),
  /** Reopening the link: doubling from `initialMs` up to `maxMs`, no jitter (create-driver.ts maps it to a BackoffPolicy). */
  reconnect: z.object({ initialMs: ms(250), maxMs: ms(5000) }).strict().prefault({}),
  commandTimeoutsMs: commandTimeouts.prefault({}),
  commandRetries: z.number().int().min(0).max(5).default(2),
  /** How long a command may wait for a link that is down before it fails. */
  queueWaitMs: ms(10_000),
  /** A bin at or above this fill level is reported full (server default `threshold_full`). */
  binFullPercent: z.number().min(1).max(100).default(90),
  /** How long start-up waits for the first connection before going on; the link keeps trying after. */
  startupWaitMs: z.number().int().min(0).max(MAX_TIMER_MS).default(3000),
  /** How long technician tests keep lights or the conveyor on before switching them off again. */
  testPulseMs: z.number().int().min(0).max(MAX_TIMER_MS).default(800),
  simulator: simulatorConfig.prefault({}),
}).strict();

export type HardwareConfig = z.infer<typeof hardwareConfig>;
