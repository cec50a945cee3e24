/**
 * One inserted item, from the intake beam to a credit: classify → sort (or give back) → wait for the drop
 * sensor → write the credit durably → only then tell the recycler it counted. Anything that fails on the way
 * ends as a rejected item with a reason, never as a credit the store does not hold.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '../log/logger.js';
import type { Bin, Classification, CreditStore, ItemClassifier, MachinePort, Material } from './ports.js';
import type { SessionFlow, SessionState } from './session-flow.js';

const log = createLogger('deposit');

export type PointsTable = Record<Exclude<Material, 'reject'>, number>;
export const BIN_FOR: Record<Exclude<Material, 'reject'>, Bin> = { pet: 'plastic', can: 'can', glass: 'glass' };

export interface PipelineOptions {
  machine: MachinePort;
  classifier: ItemClassifier;
  credits: CreditStore;
  flow: SessionFlow;
  points: PointsTable;
  /** How long the drop sensor may take to confirm after the gate moved. */
  dropTimeoutMs?: number;
  /** How long to wait for the load cell to report before classifying without a weight. */
  weightWaitMs?: number;
  onBusy?: (busy: boolean) => void;
}

type Item = SessionState['items'][number];

export function wireDepositPipeline(options: PipelineOptions): () => void {
  const { machine, flow } = options;
  let lastWeight: number | undefined;
  const offs = [
    machine.on('weight', (grams) => {
      lastWeight = grams;
    }),
    machine.on('itemPresent', () => {
      if (flow.current.phase !== 'active') {
        // No session (or one item already in flight): hand the item back rather than swallow it.
        log.info('item inserted outside an active session; returning it', { phase: flow.current.phase });
        void machine.returnItem().catch((err: Error) => log.warn('return failed', { error: err.message }));
        return;
      }
      lastWeight = undefined;
      flow.send('item_begin');
      options.onBusy?.(true);
      processItem(options, () => lastWeight)
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
  return () => offs.forEach((off) => off());
}

async function processItem(options: PipelineOptions, weight: () => number | undefined): Promise<Item> {
  const { machine, classifier, credits, flow, points } = options;
  if (weight() === undefined) await waitForWeight(machine, options.weightWaitMs ?? 400);
  const result: Classification = await classifier.classify(weight());
  if (!result.accepted) {
    await machine.returnItem();
    return rejected(result.reason);
  }
  const bin = BIN_FOR[result.material];
  const dropped = waitForDrop(machine, bin, options.dropTimeoutMs ?? 8_000);
  await machine.sortTo(bin);
  if (!(await dropped)) {
    log.warn('no drop confirmation; not crediting', { bin });
    return rejected('not_dropped');
  }
  const id = randomUUID();
  const credit = {
    id,
    sessionId: flow.current.sessionId ?? 'unknown',
    material: result.material,
    points: points[result.material],
    weightGrams: weight() ?? null,
    confidence: result.confidence,
    at: new Date().toISOString(),
    ...(result.image ? { image: result.image } : {}),
  };
  try {
    await credits.record(credit); // durable before the UI hears about it
  } catch (err) {
    log.error('credit could not be stored; item not counted', { id, error: (err as Error).message });
    return rejected('storage_error');
  }
  return { id, material: result.material, accepted: true, points: credit.points, at: Date.now() };
}

/** The load cell settles a moment after the item lands on it; the weight decides fill-vs-empty rejects. */
function waitForWeight(machine: MachinePort, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const off = machine.on('weight', done);
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

function waitForDrop(machine: MachinePort, bin: Bin, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const off = machine.on('itemDropped', (into) => {
      if (into === bin) finish(true);
      else log.warn('item dropped into an unexpected bin', { expected: bin, got: into });
    });
    function finish(ok: boolean) {
      clearTimeout(timer);
      off();
      resolve(ok);
    }
  });
}

function rejected(reason: string): Item {
  return { id: randomUUID(), material: 'reject', accepted: false, points: 0, rejectReason: reason, at: Date.now() };
}
