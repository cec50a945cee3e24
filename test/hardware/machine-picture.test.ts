import { describe, expect, it } from 'vitest';
import { MachinePicture } from '../../src/hardware/machine-picture.js';

describe('MachinePicture', () => {
  it('marks bins at or above the threshold full, never the reject chute', () => {
    const picture = new MachinePicture();
    picture.apply({ type: 'fill', bin: 'plastic', percent: 90 }, 1000);
    picture.apply({ type: 'fill', bin: 'can', percent: 89 }, 1000);
    picture.apply({ type: 'fill', bin: 'reject', percent: 100 }, 1000);
    const levels = picture.binLevels(90);
    expect(levels.bins.plastic).toEqual({ percent: 90, full: true });
    expect(levels.bins.can).toEqual({ percent: 89, full: false });
    expect(levels.bins.reject.full).toBe(false);
    expect(levels.updatedAt).toBe(1000);
  });

  it('tracks faults and says when the set changed', () => {
    const picture = new MachinePicture();
    expect(picture.apply({ type: 'fault', code: 'jam', active: true }).faults).toBe(true);
    expect(picture.apply({ type: 'fault', code: 'jam', active: true }).faults).toBe(false);
    expect(picture.apply({ type: 'boot', firmware: 'x', protocol: 1 }).faults).toBe(true);
    expect([...picture.faults]).toEqual([]);
  });

  it('folds in a STAT reply and ignores fields it cannot read', () => {
    const picture = new MachinePicture();
    const changes = picture.applyStatus({ fill: '12/95/3/0', faults: 'jam+sensor_stuck', lock: 'locked', door: 'closed', temp: '31.5', wt: '0.2', item: '1' });
    expect(changes).toEqual({ bins: true, faults: true });
    expect(picture.fill).toEqual({ plastic: 12, can: 95, glass: 3, reject: 0 });
    expect([...picture.faults]).toEqual(['jam', 'sensor_stuck']);
    expect(picture).toMatchObject({ door: { open: false, locked: true }, temperatureC: 31.5, weightGrams: 0.2, itemPresent: true });
    expect(picture.applyStatus({ fill: '1/2/x/4', temp: 'hot' })).toEqual({ bins: false, faults: false });
    expect(picture.fill.plastic).toBe(12);
    expect(picture.temperatureC).toBe(31.5);
  });
});
