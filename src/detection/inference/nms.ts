/**
 * Greedy non-maximum suppression, class-agnostic: a recycler photographs one item at a time, so two
 * overlapping boxes of different classes are one object the model was unsure about, not two objects.
 */
export type Box = [number, number, number, number];

export interface Candidate {
  classIndex: number;
  score: number;
  /** [x1, y1, x2, y2] in model input pixels. */
  box: Box;
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Keeps the best-scoring candidates, best first, dropping any that overlap a kept one by more than iouThreshold. */
export function nonMaxSuppression(candidates: Candidate[], iouThreshold: number, maxKeep = 100): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= maxKeep) break;
    if (kept.every((k) => iou(k.box, c.box) <= iouThreshold)) kept.push(c);
  }
  return kept;
}
