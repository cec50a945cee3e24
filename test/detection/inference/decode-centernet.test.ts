import { describe, expect, it } from 'vitest';
import { decodeCenterNet } from '../../../src/detection/inference/decode-centernet.js';
import { DecodeError } from '../../../src/detection/inference/decode-types.js';

describe('decodeCenterNet', () => {
  it('reads rows of x1, y1, x2, y2, score, class and drops rows under minScore', () => {
    const rows = [
      [10, 20, 110, 220, 0.8, 41],
      [5, 5, 50, 50, 0.35, 39.0000001],
      [0, 0, 1, 1, 0.1, 0],
    ];
    const decoded = decodeCenterNet({ data: Float32Array.from(rows.flat()), dims: [1, 3, 6] }, 0.2);
    expect(decoded.map((d) => d.classIndex)).toEqual([41, 39]);
    expect(decoded[0]!.box).toEqual([10, 20, 110, 220]);
    expect(decoded[1]!.score).toBeCloseTo(0.35);
  });

  it('refuses anything but [1, K, 6]', () => {
    expect(() => decodeCenterNet({ data: new Float32Array(10), dims: [1, 2, 5] }, 0.2)).toThrow(DecodeError);
  });
});
