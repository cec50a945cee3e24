import { describe, expect, it } from 'vitest';
import { legacyDevice, legacyHost } from '../../../src/hardware/protocol/legacy.js';
import type { MachineCommand } from '../../../src/hardware/protocol/messages.js';

const mapped: Array<[MachineCommand, string, string]> = [
  [{ op: 'ping' }, 'PING_RPI', 'PONG_ESP32'],
  [{ op: 'door', locked: false }, 'SLOT_OPEN', 'ACK_SLOT_OPEN'],
  [{ op: 'door', locked: true }, 'SLOT_CLOSE', 'ACK_SLOT_CLOSED'],
  [{ op: 'lights', on: true }, 'INTERNAL_LIGHT_ON', 'ACK_LIGHT_ON'],
  [{ op: 'lights', on: false }, 'INTERNAL_LIGHT_OFF', 'ACK_LIGHT_OFF'],
  [{ op: 'gate', bin: 'can' }, 'SORT_VALID_ITEM', 'ACK_SORTED'],
  [{ op: 'gate', bin: 'reject' }, 'RETURN_REJECTED_ITEM', 'ACK_ITEM_RETURNED'],
];

describe('myrvm-legacy dialect', () => {
  it.each(mapped)('sends %j as %s and takes %s as its answer', (command, line, ack) => {
    expect(legacyHost.encodeCommand(1, command)?.toString()).toBe(`${line}\n`);
    const [reply] = legacyHost.createDecoder().push(Buffer.from(`${ack}\r\n`));
    expect(reply).toMatchObject({ kind: 'reply', seq: null, reply: { ok: true }, token: ack });
    expect(legacyHost.answers({ seq: 1, command }, reply as never)).toBe(true);
  });

  it('does not take the ACK of another command as the answer', () => {
    const [reply] = legacyHost.createDecoder().push(Buffer.from('ACK_LIGHT_ON\n'));
    expect(legacyHost.answers({ seq: 1, command: { op: 'gate', bin: 'plastic' } }, reply as never)).toBe(false);
  });

  it('has no conveyor, buzzer, tare or status command', () => {
    for (const command of [{ op: 'conveyor', run: true }, { op: 'buzzer', ms: 5 }, { op: 'tare' }, { op: 'status' }] as MachineCommand[]) {
      expect(legacyHost.encodeCommand(1, command)).toBeNull();
    }
    expect(legacyHost.encodeHeartbeat(1)).toBeNull();
  });

  it('turns UNKNOWN_CMD_ESP into a NAK and other lines into malformed input', () => {
    const out = legacyHost.createDecoder().push(Buffer.from('UNKNOWN_CMD_ESP\r\nhello world\r\n\r\n'));
    expect(out).toMatchObject([{ kind: 'reply', reply: { ok: false, code: 'UNKNOWN' } }, { kind: 'malformed', reason: 'bad_message' }]);
  });

  it('reports an over-long line once and recovers at the next newline', () => {
    const out = legacyHost.createDecoder().push(Buffer.concat([Buffer.alloc(1000, 0x41), Buffer.from('\nPONG_ESP32\n')]));
    expect(out.map((o) => o.kind)).toEqual(['malformed', 'reply']);
  });

  it('device side: parses command lines and answers with the matching ACK word', () => {
    const [incoming] = legacyDevice.createDecoder().push(Buffer.from('SORT_VALID_ITEM\r\n'));
    expect(incoming).toMatchObject({ kind: 'command', seq: null, command: { op: 'gate', bin: 'plastic' } });
    expect(legacyDevice.encodeReply(null, { op: 'gate', bin: 'plastic' }, { ok: true, data: {} }).toString()).toBe('ACK_SORTED\r\n');
    expect(legacyDevice.encodeReply(null, { op: 'ping' }, { ok: false, code: 'X' }).toString()).toBe('UNKNOWN_CMD_ESP\r\n');
    expect(legacyDevice.encodeEvent(1, { type: 'drop', bin: 'can' })).toBeNull();
    const [unknown] = legacyDevice.createDecoder().push(Buffer.from('DISPLAY:hi\n'));
    expect(unknown).toMatchObject({ kind: 'malformed', reason: 'bad_message' });
  });
});
