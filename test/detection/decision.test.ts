import { describe, expect, it } from 'vitest';
import { decide, type DecisionRules } from '../../src/detection/decision.js';
import type { Detection, Material } from '../../src/domain/ports.js';

const materials: Record<string, Array<Exclude<Material, 'reject'>>> = { bottle: ['pet'], can: ['can'], cup: ['glass'], jar: ['pet', 'glass'] };
const rules: DecisionRules = {
  threshold: 0.5,
  materialsOf: (label) => materials[label] ?? 'reject',
  weightWindows: { pet: { minGrams: 5, maxGrams: 120 }, can: { minGrams: 5, maxGrams: 60 }, glass: { minGrams: 60, maxGrams: 1500 } },
};
const det = (label: string, score: number): Detection => ({ label, score, box: [0, 0, 10, 10] });

describe('decide', () => {
  it('accepts one confident container with its material and confidence', () => {
    const d = decide([det('can', 0.3), det('bottle', 0.8)], rules);
    expect(d).toMatchObject({ accepted: true, material: 'pet', confidence: 0.8 });
    expect(d.detections.map((x) => x.label)).toEqual(['bottle', 'can']);
  });

  it.each([
    ['nothing_seen', [], undefined],
    ['low_confidence', [det('bottle', 0.49)], undefined],
    ['multiple_objects', [det('bottle', 0.7), det('can', 0.6)], undefined],
    ['not_a_container', [det('cat', 0.9)], undefined],
    ['weight_out_of_range', [det('can', 0.9)], 200],
    ['weight_out_of_range', [det('cup', 0.9)], 20],
  ] as const)('rejects with %s', (reason, detections, weight) => {
    const d = decide([...detections], rules, weight);
    expect(d).toMatchObject({ accepted: false, reason });
  });

  it('lets the weight pick the material when the label is ambiguous (one COCO bottle for PET and glass)', () => {
    expect(decide([det('jar', 0.9)], rules, 24)).toMatchObject({ accepted: true, material: 'pet' });
    expect(decide([det('jar', 0.9)], rules, 230)).toMatchObject({ accepted: true, material: 'glass' });
    expect(decide([det('jar', 0.9)], rules)).toMatchObject({ accepted: true, material: 'pet' });
    expect(decide([det('jar', 0.9)], rules, 2_000)).toMatchObject({ accepted: false, reason: 'weight_out_of_range' });
  });

  it('reports the best score as the confidence of a rejection', () => {
    expect(decide([det('bottle', 0.3), det('can', 0.45)], rules)).toMatchObject({ reason: 'low_confidence', confidence: 0.45 });
  });

  it('checks the weight window only when the load cell weighed the item', () => {
    expect(decide([det('cup', 0.9)], rules).accepted).toBe(true);
    expect(decide([det('cup', 0.9)], rules, 250).accepted).toBe(true);
    expect(decide([det('cup', 0.9)], rules, Number.NaN)).toMatchObject({ reason: 'weight_out_of_range' });
  });

  it('a threshold of the rules, not a constant, separates confident from unsure', () => {
    expect(decide([det('bottle', 0.45)], { ...rules, threshold: 0.4 }).accepted).toBe(true);
    expect(decide([det('bottle', 0.45)], { ...rules, threshold: 0.6 })).toMatchObject({ reason: 'low_confidence' });
  });
});
