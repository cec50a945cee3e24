/**
 * What the driver and the simulator need from a wire dialect. Two dialects exist: rvm1 (framed, numbered,
 * CRC-checked; ours) and myrvm-legacy (the plain ASCII lines of the existing MyRVM ESP32 firmware). Each is
 * described from both ends — the host side for the driver, the device side for the simulator — so both ends
 * of a test speak exactly the module under test.
 */
import type { MalformedReason } from './frame.js';
import type { CommandOp, ControllerEvent, MachineCommand, Reply } from './messages.js';

export type DialectName = 'rvm1' | 'myrvm-legacy';

export interface InFlight {
  seq: number;
  command: MachineCommand;
}

export type Malformed = { kind: 'malformed'; reason: MalformedReason; bytes: Buffer; detail?: string };

/** What the host reads. `seq` is null in a dialect that has no sequence numbers. */
export type HostIncoming =
  | { kind: 'reply'; seq: number | null; reply: Reply; token?: string }
  | { kind: 'event'; seq: number | null; event: ControllerEvent }
  | Malformed;

/** What the controller reads. */
export type DeviceIncoming =
  | { kind: 'command'; seq: number | null; command: MachineCommand; body: string }
  | { kind: 'heartbeat'; seq: number }
  | { kind: 'eventAck'; seq: number; eventSeq: number }
  | Malformed;

export interface Decoder<T> {
  push(chunk: Uint8Array): T[];
}

export interface DialectCapabilities {
  /** Unsolicited events (item present, drop, weight, fill…). Without them the host synthesises a drop on ACK. */
  events: boolean;
  /** Heartbeat frames both ways; otherwise the host pings while idle. */
  heartbeatFrames: boolean;
  /** SORT carries the host's item id, DROP names it, WHERE asks about it (rvm1 protocol 2). */
  itemIds: boolean;
  /** Commands the firmware understands; others fail at once with `unsupported`. */
  ops: ReadonlySet<CommandOp>;
}

export interface HostDialect {
  readonly name: DialectName;
  readonly capabilities: DialectCapabilities;
  /** null when the dialect cannot express the command. */
  encodeCommand(seq: number, command: MachineCommand): Buffer | null;
  encodeHeartbeat(seq: number): Buffer | null;
  encodeEventAck(seq: number, eventSeq: number): Buffer | null;
  createDecoder(): Decoder<HostIncoming>;
  /** Whether a reply answers the command in flight (by number, or by the ACK word in the legacy dialect). */
  answers(inFlight: InFlight, reply: Extract<HostIncoming, { kind: 'reply' }>): boolean;
}

export interface DeviceDialect {
  readonly name: DialectName;
  createDecoder(): Decoder<DeviceIncoming>;
  encodeReply(seq: number | null, command: MachineCommand, reply: Reply): Buffer;
  /** null when the dialect has no such event (the legacy firmware sends none). */
  encodeEvent(seq: number, event: ControllerEvent): Buffer | null;
}
