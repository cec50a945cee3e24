import { describe, expect, it } from 'vitest';
import { iou, nonMaxSuppression, type Candidate } from '../../../src/detection/inference/nms.js';

describe('iou', () => {
  it('is 1 for identical boxes, 0 for disjoint ones, and the overlap ratio otherwise', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
  });
});

describe('nonMaxSuppression', () => {
  const c = (classIndex: number, score: number, box: Candidate['box']): Candidate => ({ classIndex, score, box });

  it('drops a weaker overlapping box even of another class (class-agnostic), keeps separate ones, best first', () => {
    const kept = nonMaxSuppression([c(1, 0.6, [1, 1, 11, 11]), c(0, 0.9, [0, 0, 10, 10]), c(2, 0.5, [50, 50, 60, 60])], 0.4);
    expect(kept.map((k) => [k.classIndex, k.score])).toEqual([
      [0, 0.9],
      [2, 0.5],
    ]);
  });

  it('keeps overlapping boxes whose IoU is under the threshold', () => {
    expect(nonMaxSuppression([c(0, 0.9, [0, 0, 10, 10]), c(0, 0.8, [5, 0, 15, 10])], 0.4)).toHaveLength(2);
  });
});
