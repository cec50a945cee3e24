/** The rvm1 dialect from both ends: frame.ts for the bytes, messages.ts for the meaning. */
import type { DeviceDialect, DeviceIncoming, HostDialect, HostIncoming } from './dialect.js';
import { encodeFrame, FrameDecoder } from './frame.js';
import { controllerBody, hostBody, parseControllerBody, parseHostBody, type CommandOp } from './messages.js';

const ALL_OPS: ReadonlySet<CommandOp> = new Set(['ping', 'conveyor', 'gate', 'door', 'lights', 'buzzer', 'tare', 'status', 'sort', 'where', 'set']);

export const rvm1Host: HostDialect = {
  name: 'rvm1',
  capabilities: { events: true, heartbeatFrames: true, itemIds: true, ops: ALL_OPS },
  encodeCommand: (seq, command) => encodeFrame(hostBody({ seq, kind: 'command', command })),
  encodeHeartbeat: (seq) => encodeFrame(hostBody({ seq, kind: 'heartbeat' })),
  encodeEventAck: (seq, eventSeq) => encodeFrame(hostBody({ seq, kind: 'eventAck', eventSeq })),
  answers: (inFlight, reply) => reply.seq === inFlight.seq,
  createDecoder() {
    const frames = new FrameDecoder();
    return {
      push(chunk): HostIncoming[] {
        return frames.push(chunk).map((decoded): HostIncoming => {
          if (decoded.type === 'malformed') return { kind: 'malformed', reason: decoded.reason, bytes: decoded.bytes };
          const parsed = parseControllerBody(decoded.body);
          if (!parsed.ok) return { kind: 'malformed', reason: 'bad_message', bytes: Buffer.from(decoded.body, 'latin1'), detail: parsed.error };
          const frame = parsed.value;
          return frame.kind === 'reply' ? { kind: 'reply', seq: frame.seq, reply: frame.reply } : { kind: 'event', seq: frame.seq, event: frame.event };
        });
      },
    };
  },
};

export const rvm1Device: DeviceDialect = {
  name: 'rvm1',
  encodeReply: (seq, _command, reply) => encodeFrame(controllerBody({ seq: seq ?? 0, kind: 'reply', reply })),
  encodeEvent: (seq, event) => encodeFrame(controllerBody({ seq, kind: 'event', event })),
  createDecoder() {
    const frames = new FrameDecoder();
    return {
      push(chunk): DeviceIncoming[] {
        return frames.push(chunk).map((decoded): DeviceIncoming => {
          if (decoded.type === 'malformed') return { kind: 'malformed', reason: decoded.reason, bytes: decoded.bytes };
          const parsed = parseHostBody(decoded.body);
          if (!parsed.ok) return { kind: 'malformed', reason: 'bad_message', bytes: Buffer.from(decoded.body, 'latin1'), detail: parsed.error };
          const frame = parsed.value;
          if (frame.kind === 'command') return { kind: 'command', seq: frame.seq, command: frame.command, body: decoded.body };
          return frame;
        });
      },
    };
  },
};
