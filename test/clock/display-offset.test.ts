import { describe, expect, it } from 'vitest';
import { delayToStepPhase, isSafeToStepBack, nextDisplayOffset, STEP_PHASE_MS } from '../../src/clock/display-offset.js';

const policy = { slewStepMs: 250, deadbandMs: 100 };

describe('nextDisplayOffset', () => {
  it('takes the first estimate as is, whatever its sign', () => {
    expect(nextDisplayOffset(null, -7_200_000, policy)).toEqual({ offsetMs: -7_200_000, settled: true });
  });
  it('steps forward at once', () => {
    expect(nextDisplayOffset(1000, 5000, policy)).toEqual({ offsetMs: 5000, settled: true });
  });
  it('goes back by at most one slew step at a time', () => {
    expect(nextDisplayOffset(5000, 4000, policy)).toEqual({ offsetMs: 4750, settled: false });
    expect(nextDisplayOffset(4200, 4000, policy)).toEqual({ offsetMs: 4000, settled: true });
  });
  it('ignores changes inside the deadband', () => {
    expect(nextDisplayOffset(5000, 4950, policy)).toEqual({ offsetMs: 5000, settled: true });
    expect(nextDisplayOffset(5000, 5080, policy)).toEqual({ offsetMs: 5000, settled: true });
  });
});

describe('step timing', () => {
  it('waits until the displayed second is at the step phase', () => {
    expect(delayToStepPhase(10_000)).toBe(STEP_PHASE_MS);
    expect(delayToStepPhase(10_000 + STEP_PHASE_MS)).toBe(0);
    expect(delayToStepPhase(10_900)).toBe(800);
  });
  it('allows a backward step only when it stays inside the displayed second', () => {
    expect(isSafeToStepBack(10_700, 250)).toBe(true);
    expect(isSafeToStepBack(10_200, 250)).toBe(false);
  });
});
