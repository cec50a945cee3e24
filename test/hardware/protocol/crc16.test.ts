import { describe, expect, it } from 'vitest';
import { crc16, crc16Hex } from '../../../src/hardware/protocol/crc16.js';

describe('crc16 (CCITT-FALSE)', () => {
  it('matches the published check value for "123456789"', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
    expect(crc16Hex(Buffer.from('123456789'))).toBe('29B1');
  });

  it('is 0xFFFF for no input and pads hex to four digits', () => {
    expect(crc16(Buffer.alloc(0))).toBe(0xffff);
    expect(crc16Hex(Buffer.from('12,ACK'))).toMatch(/^[0-9A-F]{4}$/);
  });

  it('changes for every single-bit flip of a body', () => {
    const body = Buffer.from('17,GATE,plastic');
    const reference = crc16(body);
    for (let i = 0; i < body.length * 8; i++) {
      const flipped = Buffer.from(body);
      flipped[i >> 3] = (flipped[i >> 3] as number) ^ (1 << (i & 7));
      expect(crc16(flipped)).not.toBe(reference);
    }
  });

  it('honours start and end offsets', () => {
    const framed = Buffer.from('$123456789*');
    expect(crc16(framed, 1, framed.length - 1)).toBe(0x29b1);
  });
});
