import { describe, expect, it } from 'vitest';
import {
  controllerBody,
  describeCommand,
  hostBody,
  nextSeq,
  parseControllerBody,
  parseHostBody,
  type ControllerEvent,
  type MachineCommand,
} from '../../../src/hardware/protocol/messages.js';

const commands: MachineCommand[] = [
  { op: 'ping' },
  { op: 'conveyor', run: true },
  { op: 'conveyor', run: false },
  { op: 'gate', bin: 'plastic' },
  { op: 'gate', bin: 'can' },
  { op: 'gate', bin: 'glass' },
  { op: 'gate', bin: 'reject' },
  { op: 'door', locked: true },
  { op: 'door', locked: false },
  { op: 'lights', on: true },
  { op: 'lights', on: false },
  { op: 'buzzer', ms: 250 },
  { op: 'tare' },
  { op: 'status' },
];

const events: ControllerEvent[] = [
  { type: 'item', present: true },
  { type: 'item', present: false },
  { type: 'drop', bin: 'glass' },
  { type: 'weight', grams: 23.4 },
  { type: 'weight', grams: -0.3 },
  { type: 'fill', bin: 'can', percent: 91 },
  { type: 'door', open: false, locked: true },
  { type: 'temperature', celsius: 38.5 },
  { type: 'fault', code: 'jam', active: true },
  { type: 'boot', firmware: 'esp32-2.1.0', protocol: 1 },
  { type: 'heartbeat' },
];

describe('rvm1 messages', () => {
  it.each(commands.map((c) => [describeCommand(c), c] as const))('round-trips the command %s', (_name, command) => {
    const body = hostBody({ seq: 4242, kind: 'command', command });
    expect(parseHostBody(body)).toEqual({ ok: true, value: { seq: 4242, kind: 'command', command } });
  });

  it.each(events.map((e) => [e.type, e] as const))('round-trips the event %s', (_name, event) => {
    const body = controllerBody({ seq: 7, kind: 'event', event });
    expect(parseControllerBody(body)).toEqual({ ok: true, value: { seq: 7, kind: 'event', event } });
  });

  it('round-trips heartbeats, event acks, ACK data and NAK codes', () => {
    expect(parseHostBody(hostBody({ seq: 1, kind: 'heartbeat' }))).toEqual({ ok: true, value: { seq: 1, kind: 'heartbeat' } });
    expect(parseHostBody(hostBody({ seq: 2, kind: 'eventAck', eventSeq: 65535 }))).toEqual({ ok: true, value: { seq: 2, kind: 'eventAck', eventSeq: 65535 } });
    const ack = controllerBody({ seq: 9, kind: 'reply', reply: { ok: true, data: { fill: '1/2/3/0', faults: 'none' } } });
    expect(ack).toBe('9,ACK,fill=1/2/3/0,faults=none');
    expect(parseControllerBody(ack)).toEqual({ ok: true, value: { seq: 9, kind: 'reply', reply: { ok: true, data: { fill: '1/2/3/0', faults: 'none' } } } });
    expect(parseControllerBody('9,NAK,BIN_FULL')).toEqual({ ok: true, value: { seq: 9, kind: 'reply', reply: { ok: false, code: 'BIN_FULL' } } });
  });

  it.each([
    ['65536,PING', /sequence/],
    ['-1,PING', /sequence/],
    ['1,PING,now', /no arguments/],
    ['1,GATE,paper', /bad arguments/],
    ['1,GATE', /bad arguments/],
    ['1,BUZZ,0', /bad arguments/],
    ['1,BUZZ,99999', /bad arguments/],
    ['1,FLY', /unknown command/],
    ['1,EACK,x', /EACK/],
  ])('refuses the host body %j', (body, error) => {
    const parsed = parseHostBody(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it.each([
    ['1,ITEM,2'],
    ['1,DROP,paper'],
    ['1,WT,heavy'],
    ['1,WT,1e9'],
    ['1,FILL,can,101'],
    ['1,FILL,can'],
    ['1,DOOR,ajar,locked'],
    ['1,TEMP,500'],
    ['1,FAULT,jam'],
    ['1,BOOT,fw'],
    ['1,ACK,novalue'],
    ['1,NAK'],
    ['1,SING'],
    ['x,HB'],
  ])('refuses the controller body %j', (body) => {
    expect(parseControllerBody(body).ok).toBe(false);
  });

  it('wraps sequence numbers from 65535 to 1, never 0', () => {
    expect(nextSeq(65535)).toBe(1);
    expect(nextSeq(1)).toBe(2);
  });
});
