/**
 * The offset the UI adds to Date.now(), chosen so the displayed clock never goes backwards.
 *
 * Forward corrections are applied at once: a clock that jumps ahead a little is fine. A backward
 * correction would make the display jump back, so it is applied in steps of at most `slewStepMs`, each
 * one when the displayed clock is at 0.7 s into its current second: the step then moves the display
 * back within that same second, and a renderer that floors to whole seconds (as Intl and every clock
 * face do) never shows a second twice or out of order. The display runs slow until it has caught up
 * (e.g. 250 ms per second: a 10 s correction takes about 40 s).
 *
 * The very first estimate is the exception: before it the clock is unsynced (device time), and a device
 * without a working RTC may be hours or years off, which no slew could fix. The UI should mark the clock
 * as unsynced (`synced: false`) until then.
 */
export interface DisplayPolicy {
  slewStepMs: number;
  deadbandMs: number;
}

/** When, within a displayed second, backward steps are applied. */
export const STEP_PHASE_MS = 700;

export interface NextOffset {
  offsetMs: number;
  /** False while a backward correction still has steps to go. */
  settled: boolean;
}

export function nextDisplayOffset(displayed: number | null, target: number, policy: DisplayPolicy): NextOffset {
  if (displayed === null) return { offsetMs: target, settled: true };
  const diff = target - displayed;
  if (Math.abs(diff) <= policy.deadbandMs) return { offsetMs: displayed, settled: true };
  if (diff > 0) return { offsetMs: target, settled: true };
  const step = Math.min(-diff, policy.slewStepMs);
  return { offsetMs: displayed - step, settled: step === -diff };
}

/** Milliseconds until the displayed clock next reads STEP_PHASE_MS past a whole second. */
export function delayToStepPhase(displayNowMs: number): number {
  const fraction = ((displayNowMs % 1000) + 1000) % 1000;
  return (STEP_PHASE_MS - fraction + 1000) % 1000;
}

/** True when a backward step of `stepMs` now keeps the display inside its current second. */
export function isSafeToStepBack(displayNowMs: number, stepMs: number): boolean {
  const fraction = ((displayNowMs % 1000) + 1000) % 1000;
  return fraction - stepMs >= 50; // 50 ms for the event to reach the renderer
}
