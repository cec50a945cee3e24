import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { noReplyText, useBusy } from './hooks.js';

/**
 * TECHNICIAN_THRESHOLD of src/contract/detection.ts, copied because the renderer imports the contract as types
 * only (test/renderer/maintenance/detection-threshold-panel.test.tsx checks the two agree). The core refuses
 * anything outside with `threshold_out_of_range`; the stepper simply never offers it.
 */
export const THRESHOLD_BOUNDS = { min: 0.05, max: 0.95 } as const;
/** Steps of 0.05: fine enough to tune, coarse enough for a gloved finger to reach a value in a few taps. */
export const THRESHOLD_STEP = 0.05;

/** To the step grid and into the bounds; whole hundredths so 0.1 + 0.05 shows as 0.15, not 0.15000000000000002. */
export function stepClamp(value: number): number {
  const snapped = Math.round(value / THRESHOLD_STEP) * THRESHOLD_STEP;
  return Math.round(Math.min(THRESHOLD_BOUNDS.max, Math.max(THRESHOLD_BOUNDS.min, snapped)) * 100) / 100;
}

/**
 * Set (or drop) this machine's own confidence threshold; the reply says whether the server took it too. Reset is
 * always offered: a server value hides the machine's own one, which may still be there underneath.
 */
export function ThresholdStepper({ current }: { current: number }) {
  const t = useT();
  const [value, setValue] = useState(() => stepClamp(current));
  const [message, setMessage] = useState<string | null>(null);
  const [busy, run] = useBusy();

  // A new value from the core (server config, another technician) replaces the draft.
  useEffect(() => setValue(stepClamp(current)), [current]);

  const outcome = (key: string, reply: ReplyOf<'detection.setThreshold'> | null) =>
    reply
      ? `${t(key, { value: reply.state.threshold.toFixed(2), source: t(`maintenance.detection.thresholdSource.${reply.state.thresholdSource}`) })} · ${t(`maintenance.detection.thresholdServer.${reply.server}`)}`
      : noReplyText(t);
  const send = (next: number | null) =>
    run(async () => {
      setMessage(t('maintenance.working'));
      const reply = await callCore('detection.setThreshold', { value: next });
      setMessage(outcome(next === null ? 'maintenance.detection.thresholdResetDone' : 'maintenance.detection.thresholdSetDone', reply));
    });

  return (
    <div className="threshold-stepper" data-testid="threshold-stepper">
      <button className="button small" data-testid="threshold-down" aria-label={t('maintenance.detection.thresholdDown')} disabled={busy || value <= THRESHOLD_BOUNDS.min} onClick={() => setValue(stepClamp(value - THRESHOLD_STEP))}>
        −
      </button>
      <output data-testid="threshold-value">{value.toFixed(2)}</output>
      <button className="button small" data-testid="threshold-up" aria-label={t('maintenance.detection.thresholdUp')} disabled={busy || value >= THRESHOLD_BOUNDS.max} onClick={() => setValue(stepClamp(value + THRESHOLD_STEP))}>
        +
      </button>
      <button className="button small primary" data-testid="threshold-set" disabled={busy} onClick={() => void send(value)}>
        {t('maintenance.detection.setThreshold')}
      </button>
      <button className="button small" data-testid="threshold-reset" disabled={busy} onClick={() => void send(null)}>
        {t('maintenance.detection.resetThreshold')}
      </button>
      {message ? <div className="panel-result" data-testid="threshold-result">{message}</div> : null}
    </div>
  );
}
