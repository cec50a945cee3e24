import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES, type Decoded } from '../../../src/hardware/protocol/frame.js';

const bodies = (items: Decoded[]) => items.filter((d) => d.type === 'frame').map((d) => (d as { body: string }).body);
const reasons = (items: Decoded[]) => items.filter((d) => d.type === 'malformed').map((d) => (d as { reason: string }).reason);

describe('encodeFrame', () => {
  it('writes $body*CRC CRLF', () => {
    expect(encodeFrame('123456789').toString()).toBe('$123456789*29B1\r\n');
  });

  it.each([[''], ['a$b'], ['a*b'], ['line\nbreak'], ['x'.repeat(201)], ['caf\u00e9']])('refuses body %j', (body) => {
    expect(() => encodeFrame(body)).toThrow(/cannot frame/);
  });
});

describe('FrameDecoder', () => {
  it('decodes frames however the bytes are split', () => {
    const stream = Buffer.concat([encodeFrame('1,PING'), encodeFrame('2,GATE,can'), encodeFrame('3,ACK,fill=1/2/3/0')]);
    for (const size of [1, 2, 3, 7, stream.length]) {
      const decoder = new FrameDecoder();
      const out: Decoded[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...decoder.push(stream.subarray(i, i + size)));
      expect(bodies(out)).toEqual(['1,PING', '2,GATE,can', '3,ACK,fill=1/2/3/0']);
      expect(reasons(out)).toEqual([]);
    }
  });

  it('accepts a bare LF ending and lower-case hex', () => {
    const frame = encodeFrame('9,HB').toString().replace('\r\n', '\n').toLowerCase().replace('$9,hb', '$9,HB');
    expect(bodies(new FrameDecoder().push(Buffer.from(frame)))).toEqual(['9,HB']);
  });

  it('reports a bad checksum with the raw bytes and keeps going', () => {
    const good = encodeFrame('5,ITEM,1');
    const bad = Buffer.from(good);
    bad[3] = 0x4a; // ITEM -> JTEM: still well-formed, wrong checksum
    const out = new FrameDecoder().push(Buffer.concat([bad, good]));
    expect(reasons(out)).toEqual(['bad_checksum']);
    expect((out[0] as { bytes: Buffer }).bytes.toString()).toBe(bad.toString().replace('\n', ''));
    expect(bodies(out)).toEqual(['5,ITEM,1']);
  });

  it('reports noise before a frame and a frame cut short by the next $', () => {
    const out = new FrameDecoder().push(Buffer.concat([Buffer.from('garbage'), Buffer.from('$12,GA'), encodeFrame('13,PING')]));
    expect(reasons(out)).toEqual(['noise', 'truncated']);
    expect(bodies(out)).toEqual(['13,PING']);
  });

  it.each([
    ['no star', '$12,PING\n'],
    ['short crc', '$12,PING*12\n'],
    ['non-hex crc', '$12,PING*ZZZZ\n'],
    ['empty body', '$*FFFF\n'],
    ['control byte in body', `$12,P\u0001NG*0000\n`],
  ])('reports %s as bad_format', (_label, text) => {
    expect(reasons(new FrameDecoder().push(Buffer.from(text, 'latin1')))).toEqual(['bad_format']);
  });

  it('drops an oversized frame once, then finds the next frame', () => {
    const huge = Buffer.concat([Buffer.from('$'), Buffer.alloc(MAX_FRAME_BYTES * 3, 0x41), Buffer.from('\n')]);
    const out = new FrameDecoder().push(Buffer.concat([huge, encodeFrame('1,HB')]));
    expect(reasons(out)).toEqual(['oversized']);
    expect((out[0] as { bytes: Buffer }).bytes.length).toBe(MAX_FRAME_BYTES);
    expect(bodies(out)).toEqual(['1,HB']);
  });

  it('reports long noise in bounded pieces', () => {
    const out = new FrameDecoder().push(Buffer.alloc(MAX_FRAME_BYTES * 2 + 5, 0x7e));
    expect(reasons(out)).toEqual(['noise', 'noise']);
    expect(out.every((d) => d.type === 'malformed' && d.bytes.length <= MAX_FRAME_BYTES)).toBe(true);
  });
});
