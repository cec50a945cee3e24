/**
 * Detections → accept or reject, with a reason the UI can show. The checks run in a fixed order, each one
 * the most useful thing to tell the recycler: nothing there → not sure → too many things → not a container
 * → wrong weight for what it looks like (the weight also tells PET from glass when the label cannot). Pure: no I/O, so every reason is tested without a model.
 */
import type { Classification, Detection, Material } from '../domain/ports.js';
import type { WeightWindows } from './config.js';

export interface DecisionRules {
  /** Detections at or above this count as confident; below it the item is `low_confidence`. */
  threshold: number;
  /** The materials a label can be, most likely first (src/detection/manifest.ts `materialsOf`). */
  materialsOf: (label: string) => Array<Exclude<Material, 'reject'>> | 'reject';
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
  const candidates = rules.materialsOf(best.label);
  if (candidates === 'reject') return reject('not_a_container');
  // Without a weight the label's first material stands; with one, the weight must fit a candidate's window.
  const material =
    weightGrams === undefined
      ? candidates[0]
      : candidates.find((m) => weightGrams >= rules.weightWindows[m].minGrams && weightGrams <= rules.weightWindows[m].maxGrams);
  if (!material) return reject('weight_out_of_range');
  return { accepted: true, material, confidence: best.score, detections: sorted };
}
