import { describe, expect, it } from 'vitest';
import { StatusBoard } from '../../src/app/status-board.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import type { BinLevels } from '../../src/domain/events.js';
import { materialAvailability, noneAccepted } from '../../src/session/availability.js';
import { AvailabilityBook } from '../../src/session/availability-book.js';

const levels = (percent: Partial<Record<'plastic' | 'can' | 'glass', number>>, threshold = 90): BinLevels => {
  const level = (p = 10) => ({ percent: p, full: p >= threshold });
  return { thresholdPercent: threshold, bins: { plastic: level(percent.plastic), can: level(percent.can), glass: level(percent.glass), reject: { percent: 0, full: false } }, updatedAt: 1 };
};
const none = new Set<never>();

describe('per-material availability', () => {
  it('refuses only the material whose bin is full, faulty or stopped by an alert', () => {
    expect(materialAvailability({ bins: levels({ glass: 95 }), refusedBins: none, faultyBins: new Set(['can']), stoppedMaterials: none })).toEqual({
      pet: { accepting: true, reason: null },
      can: { accepting: false, reason: 'bin_fault' },
      glass: { accepting: false, reason: 'bin_full' },
    });
    expect(materialAvailability({ bins: null, refusedBins: none, faultyBins: none, stoppedMaterials: new Set(['pet']) }).pet).toEqual({ accepting: false, reason: 'stopped_by_alert' });
  });

  it('names the full bin first when several reasons hold, and treats a gate-refused bin as full', () => {
    const all = materialAvailability({ bins: levels({}), refusedBins: new Set(['glass']), faultyBins: new Set(['glass']), stoppedMaterials: new Set(['glass']) });
    expect(all.glass).toEqual({ accepting: false, reason: 'bin_full' });
    expect(noneAccepted(all)).toBe(false);
  });

  it('tells listeners only on a change, and keeps a material stopped while any of its alerts is open', () => {
    const book = new AvailabilityBook();
    const seen: unknown[] = [];
    book.onChange((m) => seen.push(m.can));
    book.setBinLevels(levels({}));
    expect(seen).toEqual([]);
    book.stopMaterial('can', 'alert:a', true);
    book.stopMaterial('can', 'alert:b', true);
    book.stopMaterial('can', 'alert:a', false);
    expect(book.of('can')).toEqual({ accepting: false, reason: 'stopped_by_alert' });
    book.stopMaterial('can', 'alert:b', false);
    expect(book.of('can').accepting).toBe(true);
    expect(seen).toHaveLength(2);
  });
});

describe('status board with materials', () => {
  it('stays ready with one full bin and goes out of service with no_material_accepted only when none is accepted', () => {
    const core = new KioskCore();
    const status = new StatusBoard(core, 'T', false);
    status.markStarted();
    status.availability.setBinLevels(levels({ glass: 100 }));
    expect(core.current('system.status')).toMatchObject({ state: 'ready', reasons: [], materials: { glass: { accepting: false, reason: 'bin_full' }, pet: { accepting: true } } });
    status.availability.setFaultyBins(['plastic']);
    status.availability.stopMaterial('can', 'alert:bin_full.can', true);
    expect(core.current('system.status')).toMatchObject({ state: 'out_of_service', reasons: [{ code: 'no_material_accepted', detail: 'pet: bin_fault, can: stopped_by_alert, glass: bin_full' }] });
    expect(status.has('no_material_accepted')).toBe(true);
    status.availability.setFaultyBins([]);
    expect(core.current('system.status')).toMatchObject({ state: 'ready', reasons: [] });
  });

  it('refuses a bin the gate said BIN_FULL until the controller reports that bin below the threshold', () => {
    const status = new StatusBoard(new KioskCore(), 'T', false);
    status.availability.setBinLevels(levels({ glass: 60 }));
    status.availability.refuseBin('glass');
    expect(status.availability.of('glass')).toEqual({ accepting: false, reason: 'bin_full' });
    // Levels republished for another bin repeat the host's stale belief about glass: still refused.
    status.availability.setBinLevels(levels({ glass: 60, can: 30 }));
    status.availability.binReported('can', { percent: 30, full: false });
    status.availability.binReported('glass', { percent: 100, full: true });
    expect(status.availability.of('glass').accepting).toBe(false);
    status.availability.binReported('glass', { percent: 0, full: false });
    expect(status.availability.of('glass').accepting).toBe(true);
  });
});
