/**
 * One inserted item, from the intake beam to a credit: weigh → classify → journal the decision in custody
 * (fsync) → sort with the item's id (or give back) → the drop sensor names the item → custody writes the
 * credit durably → only then tell the recycler it counted. Anything that fails on the way ends as a rejected
 * item with a reason, never as a credit the store does not hold. An item whose fate is unknown when the wait
 * ends (link down, still moving) stays in custody and is credited later if it reached its bin
 * (src/session/custody/, docs/reliability.md).
 *
 * The weight is captured once per item: the first load-cell reading after the item-present event (the
 * controller reports the reading once the load cell has settled). That one number is what the classifier
 * judges and what the credit carries; later readings (the empty platform after the drop) are never used.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '../log/logger.js';
import type { Bin, Classification, CustodyRecord, ItemClassifier, ItemCustody, MachinePort, Material } from '../domain/ports.js';
import type { SessionFlow, SessionState } from './session-flow.js';

const log = createLogger('deposit');

export type PointsTable = Record<Exclude<Material, 'reject'>, number>;
export const BIN_FOR: Record<Exclude<Material, 'reject'>, Exclude<Bin, 'reject'>> = { pet: 'plastic', can: 'can', glass: 'glass' };

export interface PipelineOptions {
  machine: MachinePort;
  classifier: ItemClassifier;
  /** Journals each sort decision before the gate moves and turns the confirmed drop into a durable credit. */
  custody: ItemCustody;
  flow: SessionFlow;
  points: PointsTable;
  /** How long the drop sensor may take to confirm after the sort was acknowledged; then the controller is asked. */
  dropTimeoutMs?: number;
  /**
   * Ceiling on the wait for the load cell's settled reading after the item-present event; past it the item
   * is classified without a weight and credited with `weightGrams: null`. Default DEFAULT_WEIGHT_WAIT_MS.
   */
  weightWaitMs?: number;
  /**
   * Whether the credit store can take a credit now (disk full, journal unwritable → false). Checked before
   * the gate moves, so an item whose credit could not be stored is handed back, never dropped into a bin.
   */
  canAccept?: () => boolean;
  onBusy?: (busy: boolean) => void;
}

type Item = SessionState['items'][number];

/**
 * Default ceiling for the settled weight. The simulator settles 400 ms after the item-present event (the
 * real load cell is in the same range) and the reading then crosses the serial link; waiting only as long
 * as the settle time raced it. The wait ends at the reading, so the ceiling costs time only when none comes.
 */
export const DEFAULT_WEIGHT_WAIT_MS = 1_500;

export function wireDepositPipeline(options: PipelineOptions): () => void {
  const { machine, flow } = options;
  const captures = new Set<WeightCapture>();
  const offs = [
    machine.on('itemPresent', () => {
      if (flow.current.phase !== 'active') {
        // No session (or one item already in flight): hand the item back rather than swallow it.
        log.info('item inserted outside an active session; returning it', { phase: flow.current.phase });
        void machine.returnItem().catch((err: Error) => log.warn('return failed', { error: err.message }));
        return;
      }
      // Listen from this very event on, so a reading that follows it in the same batch is not missed.
      const capture = captureSettledWeight(machine, options.weightWaitMs ?? DEFAULT_WEIGHT_WAIT_MS);
      captures.add(capture);
      void capture.grams.finally(() => captures.delete(capture));
      flow.send('item_begin');
      options.onBusy?.(true);
      processItem(options, capture.grams)
        .catch((err: Error) => {
          log.error('item processing failed', { error: err.message });
          return rejected('detector_error');
        })
        .then((item) => {
          const items = [...flow.current.items, item];
          flow.update({ items, totalPoints: items.reduce((sum, i) => sum + i.points, 0) });
        })
        .finally(() => {
          flow.send('item_end');
          options.onBusy?.(false);
        });
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    for (const capture of captures) capture.cancel();
  };
}

async function processItem(options: PipelineOptions, settledWeight: Promise<number | null>): Promise<Item> {
  const { machine, classifier, custody, flow, points } = options;
  // One reading, taken before classifying: the classifier's weight check and the credit use the same number.
  const weightGrams = await settledWeight;
  const result: Classification = await classifier.classify(weightGrams ?? undefined);
  if (!result.accepted) {
    await machine.returnItem();
    return rejected(result.reason);
  }
  if (options.canAccept && !options.canAccept()) {
    log.warn('the credit store cannot take a credit now; handing the item back instead of sorting it', { material: result.material });
    await machine.returnItem().catch((e: Error) => log.warn('return failed', { error: e.message }));
    return rejected('storage_error');
  }
  const bin = BIN_FOR[result.material];
  const itemId = randomUUID();
  const record: CustodyRecord = {
    itemId,
    sessionId: flow.current.sessionId ?? 'unknown',
    material: result.material,
    bin,
    points: points[result.material],
    weightGrams,
    confidence: result.confidence,
    at: new Date().toISOString(),
  };
  try {
    await custody.open(record, result.image); // durable before the gate moves
  } catch (err) {
    log.error('the sort decision could not be journaled; handing the item back instead of sorting it', { itemId, error: (err as Error).message });
    await machine.returnItem().catch((e: Error) => log.warn('return failed', { error: e.message }));
    return rejected('storage_error');
  }
  let sortFailed: Error | null = null;
  try {
    await machine.sortTo(bin, itemId);
  } catch (err) {
    sortFailed = err as Error;
    log.warn('the sort command failed; asking the controller what became of the item', { itemId, bin, error: sortFailed.message });
  }
  const outcome = await custody.settle(itemId, sortFailed ? 0 : (options.dropTimeoutMs ?? 8_000));
  switch (outcome.kind) {
    case 'credited':
      return { id: itemId, material: result.material, accepted: true, points: record.points, at: Date.now() };
    case 'not_dropped':
      log.warn('no drop confirmation; not crediting', { itemId, bin, detail: outcome.detail });
      // A refused sort left the item in the intake: give it back so the next one can go in.
      if (sortFailed) await machine.returnItem().catch((e: Error) => log.warn('return failed', { error: e.message }));
      return rejected('not_dropped', itemId);
    case 'unconfirmed':
      log.warn('drop not confirmed yet; the item stays in custody and is credited if it reached its bin', { itemId, bin, detail: outcome.detail });
      return rejected('drop_unconfirmed', itemId);
    case 'storage_error':
      log.error('credit could not be stored; item not counted', { itemId, error: outcome.detail });
      return rejected('storage_error', itemId);
  }
}

interface WeightCapture {
  /** The item's settled weight in grams; null when the load cell did not report within the ceiling. */
  grams: Promise<number | null>;
  /** Stop waiting (pipeline unwired): resolves null without the "no reading" log line. */
  cancel(): void;
}

/**
 * The load cell settles a moment after the item lands on it; the controller then reports the reading. Take
 * the first reading from now on (the call is made on the item-present event, so readings from before the
 * item — the empty platform — never count), and stop listening: later readings are not this item's weight.
 */
function captureSettledWeight(machine: MachinePort, ceilingMs: number): WeightCapture {
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

function rejected(reason: string, id: string = randomUUID()): Item {
  return { id, material: 'reject', accepted: false, points: 0, rejectReason: reason, at: Date.now() };
}
