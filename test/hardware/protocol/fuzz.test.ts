/**
 * Fuzz: a long stream of valid frames mixed with random bytes and mutated frames (bit flips, dropped,
 * inserted and duplicated bytes, truncation), fed in random-sized chunks. No exception may escape, and
 * every valid frame must come out, in order, whatever noise surrounds it. Seeded, so a failure replays.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../../src/hardware/protocol/frame.js';
import { legacyHost } from '../../../src/hardware/protocol/legacy.js';
import { BINS, controllerBody, parseControllerBody, parseHostBody, type ControllerFrame } from '../../../src/hardware/protocol/messages.js';
import { rvm1Device, rvm1Host } from '../../../src/hardware/protocol/rvm1.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const VALID = 50_000;
const RANDOM = 50_000;
const MUTATED = 60_000;

function makeStream(seed: number) {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(items: readonly T[]) => items[int(items.length)] as T;
  const frame = (): ControllerFrame => {
    const seq = 1 + int(65535);
    switch (int(6)) {
      case 0: return { seq, kind: 'reply', reply: { ok: true, data: { fill: `${int(101)}/${int(101)}/0/0` } } };
      case 1: return { seq, kind: 'reply', reply: { ok: false, code: pick(['JAM', 'BUSY', 'BIN_FULL']) } };
      case 2: return { seq, kind: 'event', event: { type: 'weight', grams: int(50_000) / 10 } };
      case 3: return { seq, kind: 'event', event: { type: 'drop', bin: pick(BINS) } };
      case 4: return { seq, kind: 'event', event: { type: 'fill', bin: pick(BINS), percent: int(101) } };
      default: return { seq, kind: 'event', event: { type: 'heartbeat' } };
    }
  };
  const randomBytes = () => Buffer.from(Array.from({ length: int(48) }, () => (rnd() < 0.05 ? pick([0x24, 0x0a, 0x2a, 0x0d]) : int(256))));
  const mutate = (bytes: Buffer): Buffer => {
    let out = Buffer.from(bytes);
    for (let m = 1 + int(3); m > 0; m--) {
      const at = int(out.length);
      switch (int(5)) {
        case 0: out[at] = (out[at] as number) ^ (1 << int(8)); break;
        case 1: out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]); break;
        case 2: out = Buffer.concat([out.subarray(0, at), Buffer.from([int(256)]), out.subarray(at)]); break;
        case 3: out = out.subarray(0, at); break;
        default: out = Buffer.concat([out.subarray(0, at), out.subarray(int(out.length))]); break;
      }
    }
    return out;
  };

  const kinds = [...Array<'valid'>(VALID).fill('valid'), ...Array<'random'>(RANDOM).fill('random'), ...Array<'mutated'>(MUTATED).fill('mutated')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [kinds[i], kinds[j]] = [kinds[j] as typeof kinds[number], kinds[i] as typeof kinds[number]];
  }
  const parts: Buffer[] = [];
  const expected: string[] = [];
  for (const kind of kinds) {
    if (kind === 'random') parts.push(randomBytes());
    else {
      const body = controllerBody(frame());
      if (kind === 'valid') {
        expected.push(body);
        parts.push(encodeFrame(body));
      } else parts.push(mutate(encodeFrame(body)));
    }
  }
  const stream = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; ) {
    const size = 1 + int(300);
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  return { chunks, expected, bytes: stream.length };
}

describe('protocol fuzz', () => {
  it(`delivers all ${VALID} valid frames among ${RANDOM} random and ${MUTATED} mutated ones, throwing nothing`, () => {
    const { chunks, expected } = makeStream(20261123);
    const decoder = new FrameDecoder();
    const delivered: string[] = [];
    let malformed = 0;
    for (const chunk of chunks) {
      for (const item of decoder.push(chunk)) {
        if (item.type === 'frame') delivered.push(item.body);
        else malformed++;
      }
    }
    // Every expected frame, in order, as a subsequence of what came out.
    let next = 0;
    for (const body of delivered) if (body === expected[next]) next++;
    expect(next).toBe(expected.length);
    expect(malformed).toBeGreaterThan(RANDOM / 2);
    // Whatever got through the CRC must still go through the message parser without throwing.
    // (A plain loop: an exception fails the test by itself, and 100k expect() calls would dominate the run.)
    let parsed = 0;
    for (const body of delivered) if (parseControllerBody(body).ok) parsed++;
    expect(parsed).toBeGreaterThanOrEqual(expected.length);
  });

  it('the host and device dialect decoders take the same stream without throwing', () => {
    const { chunks, expected } = makeStream(7);
    const host = rvm1Host.createDecoder();
    const device = rvm1Device.createDecoder();
    const legacy = legacyHost.createDecoder();
    let messages = 0;
    expect(() => {
      for (const chunk of chunks) {
        messages += host.push(chunk).filter((item) => item.kind !== 'malformed').length;
        device.push(chunk);
        legacy.push(chunk);
      }
    }).not.toThrow();
    expect(messages).toBeGreaterThanOrEqual(expected.length);
  });

  it('parses random host bodies without throwing', () => {
    const rnd = seededRandom(99);
    const alphabet = '0123456789,ABCDEFGHIKLMNOPRSTUVZ_abcdeghiklnoprstu=/-.';
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const body = Array.from({ length: 1 + Math.floor(rnd() * 24) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      if (parseHostBody(body).ok) accepted++;
      if (parseControllerBody(body).ok) accepted++;
    }
    // Random text is almost never a valid message; the point is that none of it threw.
    expect(accepted).toBeLessThan(2000);
  });
});
