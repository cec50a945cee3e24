/**
 * The item's weight, captured once: the first load-cell reading after the item-present event (the controller
 * reports the reading once the load cell has settled). That one number is what the classifier judges and what
 * the credit carries; later readings (the empty platform after the drop) are never used.
 */
import type { MachinePort } from '../domain/ports.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('deposit');

/**
 * Default ceiling for the settled weight. The simulator settles 400 ms after the item-present event (the
 * real load cell is in the same range) and the reading then crosses the serial link; waiting only as long
 * as the settle time raced it. The wait ends at the reading, so the ceiling costs time only when none comes.
 */
export const DEFAULT_WEIGHT_WAIT_MS = 1_500;

export interface WeightCapture {
  /** The item's settled weight in grams; null when the load cell did not report within the ceiling. */
  grams: Promise<number | null>;
  /** Stop waiting (pipeline unwired): resolves null without the "no reading" log line. */
  cancel(): void;
}

/**
 * Take the first reading from now on (the call is made on the item-present event, so readings from before the
 * item — the empty platform — never count), and stop listening: later readings are not this item's weight.
 */
export function captureSettledWeight(machine: MachinePort, ceilingMs: number): WeightCapture {
  let finish: (grams: number | null) => void = () => {};
  const grams = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      log.warn(`no load-cell reading within ${ceilingMs} ms of the item; classifying without a weight (credit weightGrams null)`);
      finish(null);
    }, ceilingMs);
    const off = machine.on('weight', (reading) => finish(reading));
    finish = (value) => {
      clearTimeout(timer);
      off();
      finish = () => {};
      resolve(value);
    };
  });
  return { grams, cancel: () => finish(null) };
}
