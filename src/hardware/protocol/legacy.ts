/**
 * The myrvm-legacy dialect: the plain ASCII lines of the MyRVM ESP32 firmware (`vnot01/rvm_app_esp32`),
 * 115200 8N1, one command per line, answered by a fixed ACK word. There are no sequence numbers, no
 * checksum and no events, so the driver keeps one command in flight and matches the reply by its ACK word;
 * a drop is assumed once the firmware acknowledges a sort (it has no drop sensor). Mapped commands only:
 * the firmware has no conveyor, buzzer, tare or status request, and it cannot name items: a sort goes out
 * as SORT_VALID_ITEM without the id and there is no way to ask later where an item went (see the custody
 * policy in docs/reliability.md for what that means after a crash).
 */
import type { DeviceDialect, DeviceIncoming, HostDialect, HostIncoming } from './dialect.js';
import { MAX_FRAME_BYTES } from './frame.js';
import type { CommandOp, MachineCommand } from './messages.js';

const UNKNOWN = 'UNKNOWN_CMD_ESP';

/** Command line and the ACK word that answers it. */
function legacyLine(command: MachineCommand): { line: string; ack: string } | null {
  switch (command.op) {
    case 'ping': return { line: 'PING_RPI', ack: 'PONG_ESP32' };
    case 'door': return command.locked ? { line: 'SLOT_CLOSE', ack: 'ACK_SLOT_CLOSED' } : { line: 'SLOT_OPEN', ack: 'ACK_SLOT_OPEN' };
    case 'lights': return command.on ? { line: 'INTERNAL_LIGHT_ON', ack: 'ACK_LIGHT_ON' } : { line: 'INTERNAL_LIGHT_OFF', ack: 'ACK_LIGHT_OFF' };
    case 'gate':
    case 'sort': return command.bin === 'reject' ? { line: 'RETURN_REJECTED_ITEM', ack: 'ACK_ITEM_RETURNED' } : { line: 'SORT_VALID_ITEM', ack: 'ACK_SORTED' };
    default: return null;
  }
}

const LINE_TO_COMMAND: Record<string, MachineCommand> = {
  PING_RPI: { op: 'ping' },
  SLOT_OPEN: { op: 'door', locked: false },
  SLOT_CLOSE: { op: 'door', locked: true },
  INTERNAL_LIGHT_ON: { op: 'lights', on: true },
  INTERNAL_LIGHT_OFF: { op: 'lights', on: false },
  SORT_VALID_ITEM: { op: 'gate', bin: 'plastic' },
  RETURN_REJECTED_ITEM: { op: 'gate', bin: 'reject' },
};

const ACK_WORDS = new Set(['PONG_ESP32', 'ACK_SLOT_OPEN', 'ACK_SLOT_CLOSED', 'ACK_LIGHT_ON', 'ACK_LIGHT_OFF', 'ACK_SORTED', 'ACK_ITEM_RETURNED', 'ACK_STATUS_INDICATED', 'ACK_DISPLAY']);

/** Splits bytes into lines without ever holding more than one line's worth; over-long lines are reported once. */
class LineDecoder {
  private readonly buffer = Buffer.alloc(MAX_FRAME_BYTES);
  private length = 0;
  private discarding = false;

  push(chunk: Uint8Array, onLine: (line: string) => void, onOversized: (bytes: Buffer) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (byte === 0x0a) {
        if (!this.discarding && this.length > 0) onLine(this.buffer.toString('latin1', 0, this.length).replace(/\r$/, ''));
        this.length = 0;
        this.discarding = false;
      } else if (this.discarding) {
        continue;
      } else if (this.length === MAX_FRAME_BYTES) {
        onOversized(Buffer.from(this.buffer));
        this.discarding = true;
      } else {
        this.buffer[this.length++] = byte;
      }
    }
  }
}

function isPrintable(line: string): boolean {
  return /^[\x20-\x7e]*$/.test(line);
}

const LEGACY_OPS: ReadonlySet<CommandOp> = new Set(['ping', 'door', 'lights', 'gate', 'sort']);

export const legacyHost: HostDialect = {
  name: 'myrvm-legacy',
  capabilities: { events: false, heartbeatFrames: false, itemIds: false, ops: LEGACY_OPS },
  encodeCommand: (_seq, command) => {
    const mapped = legacyLine(command);
    return mapped ? Buffer.from(`${mapped.line}\n`, 'latin1') : null;
  },
  encodeHeartbeat: () => null,
  encodeEventAck: () => null,
  answers: (inFlight, reply) => !reply.reply.ok || reply.token === legacyLine(inFlight.command)?.ack,
  createDecoder() {
    const lines = new LineDecoder();
    return {
      push(chunk): HostIncoming[] {
        const out: HostIncoming[] = [];
        lines.push(
          chunk,
          (raw) => {
            const line = raw.trim();
            if (line === '') return;
            if (line === UNKNOWN) out.push({ kind: 'reply', seq: null, reply: { ok: false, code: 'UNKNOWN' }, token: line });
            else if (ACK_WORDS.has(line)) out.push({ kind: 'reply', seq: null, reply: { ok: true, data: {} }, token: line });
            else out.push({ kind: 'malformed', reason: isPrintable(line) ? 'bad_message' : 'noise', bytes: Buffer.from(raw, 'latin1') });
          },
          (bytes) => out.push({ kind: 'malformed', reason: 'oversized', bytes }),
        );
        return out;
      },
    };
  },
};

export const legacyDevice: DeviceDialect = {
  name: 'myrvm-legacy',
  encodeReply: (_seq, command, reply) => {
    const mapped = legacyLine(command);
    return Buffer.from(`${reply.ok && mapped ? mapped.ack : UNKNOWN}\r\n`, 'latin1');
  },
  encodeEvent: () => null,
  createDecoder() {
    const lines = new LineDecoder();
    return {
      push(chunk): DeviceIncoming[] {
        const out: DeviceIncoming[] = [];
        lines.push(
          chunk,
          (raw) => {
            const line = raw.trim();
            if (line === '') return;
            const command = LINE_TO_COMMAND[line];
            if (command) out.push({ kind: 'command', seq: null, command, body: line });
            else out.push({ kind: 'malformed', reason: 'bad_message', bytes: Buffer.from(raw, 'latin1'), detail: `unknown command ${JSON.stringify(line)}` });
          },
          (bytes) => out.push({ kind: 'malformed', reason: 'oversized', bytes }),
        );
        return out;
      },
    };
  },
};
