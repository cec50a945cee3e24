/**
 * Detections → accept or reject, with a reason the UI can show. The checks run in a fixed order, each one
 * the most useful thing to tell the recycler: nothing there → not sure → too many things → not a container
 * → wrong weight for what it looks like. Pure: no I/O, so every reason is tested without a model.
 */
import type { Classification, Detection, Material } from '../domain/ports.js';
import type { WeightWindows } from './config.js';

export interface DecisionRules {
  /** Detections at or above this count as confident; below it the item is `low_confidence`. */
  threshold: number;
  materialOf: (label: string) => Material;
  weightWindows: WeightWindows;
}

/** Everything about the item except the photo, which the classifier attaches. */
export type Decision = Classification extends infer C ? (C extends unknown ? Omit<C, 'image'> : never) : never;

export function decide(detections: Detection[], rules: DecisionRules, weightGrams?: number): Decision {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const best = sorted[0];
  if (!best) return { accepted: false, reason: 'nothing_seen', confidence: 0, detections: sorted };
  const confident = sorted.filter((d) => d.score >= rules.threshold);
  const reject = (reason: Exclude<Classification, { accepted: true }>['reason']): Decision => ({
    accepted: false,
    reason,
    confidence: best.score,
    detections: sorted,
  });
  if (confident.length === 0) return reject('low_confidence');
  if (confident.length > 1) return reject('multiple_objects');
  const material = rules.materialOf(best.label);
  if (material === 'reject') return reject('not_a_container');
  if (weightGrams !== undefined) {
    const window = rules.weightWindows[material];
    if (!(weightGrams >= window.minGrams && weightGrams <= window.maxGrams)) return reject('weight_out_of_range');
  }
  return { accepted: true, material, confidence: best.score, detections: sorted };
}
