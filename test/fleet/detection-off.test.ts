/**
 * `detection.mode: "off"` (fleet and benchmark runs only): items classified by weight alone, no camera and no
 * model, and the start line says so. The whole kiosk with it runs in test/fleet/fleet-smoke.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { classifyByWeight } from '../../src/app/detection-off.js';
import { describeStartLine } from '../../src/app/load-config.js';

const windows = kioskConfig.parse({}).detection.weightWindows;

describe('detection off', () => {
  it('classifies by weight: the first of PET, can, glass whose window holds it', () => {
    expect(classifyByWeight(20, windows)).toMatchObject({ accepted: true, material: 'pet' });
    expect(classifyByWeight(300, windows)).toMatchObject({ accepted: true, material: 'glass' });
    expect(classifyByWeight(undefined, windows)).toMatchObject({ accepted: true, material: 'pet' });
    expect(classifyByWeight(4000, windows)).toMatchObject({ accepted: false, reason: 'weight_out_of_range' });
    expect(classifyByWeight(2, windows)).toMatchObject({ accepted: false, reason: 'weight_out_of_range' });
  });

  it('is never the default, and the start line says it is on', () => {
    expect(kioskConfig.parse({}).detection.mode).toBe('demo');
    const config = kioskConfig.parse({ detection: { mode: 'off' } });
    const line = describeStartLine(config, { file: 'fleet.json', env: [], origins: new Map([['detection.mode', 'fleet.json']]) });
    expect(line).toContain('detection OFF (no camera, no model: items classified by weight; fleet/bench runs only) [fleet.json]');
  });
});
