/**
 * Where an item's milliseconds go, from the times bench/throughput.ts takes of each accepted item: the
 * intake beam (ITEM 1 at the controller) → the photo → detection (preprocess, inference, postprocess) →
 * weight, custody journal and the sort's ACK (the intake is free again here) → the ride to the bin (DROP) →
 * the durable credit shown on screen (session.state).
 */
export interface ItemTimes {
  present: number;
  result: number;
  sortAck: number;
  drop: number;
  screen: number;
  detection: { captureMs: number; preprocessMs: number; inferenceMs: number; postprocessMs: number; totalMs: number };
}

export interface Percentiles {
  p50: number;
  p95: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { p50: Math.round(at(50)), p95: Math.round(at(95)) };
}

export function stageFigures(items: ItemTimes[]): Record<string, Percentiles> {
  const stage = (f: (t: ItemTimes) => number) => percentiles(items.map(f));
  return {
    photo: stage((t) => t.detection.captureMs),
    preprocess: stage((t) => t.detection.preprocessMs),
    inference: stage((t) => t.detection.inferenceMs),
    postprocess: stage((t) => t.detection.postprocessMs),
    intakeToDetected: stage((t) => t.result - t.present),
    detectedToSortAck: stage((t) => t.sortAck - t.result),
    intakeOccupied: stage((t) => t.sortAck - t.present),
    ride: stage((t) => t.drop - t.sortAck),
    dropToScreen: stage((t) => t.screen - t.drop),
    intakeToScreen: stage((t) => t.screen - t.present),
  };
}
