/**
 * The deposit pipeline: from the intake beam to the session's list, one item in the intake at a time but
 * several on their way. Each item-present event during an active session starts one item
 * (item-processing.ts): its settled weight (weight-capture.ts), a watch on the intake beam (intake-watch.ts),
 * and at the end exactly one outcome (src/contract/outcomes.ts) added to the session. Once the controller
 * ACKs the item's sort it is on its way, and the intake is free for the next item while this one rides to
 * its bin (a belt machine, protocol 3; a protocol 2 machine keeps the item in the intake until it drops, so
 * nothing overlaps there). The session does not end while an item is unfinished (SessionFlow.hold).
 * Anything an item listened to is let go when it ends. An item inserted with no session running is handed
 * back; a second item-present while one is in the intake is ignored (the intake holds one item; the
 * controller refuses a second), never answered with a return that would throw out the item being processed.
 * A hand-back that fails raises `item_stuck` (stuck-item.ts).
 * Custody and the credit: src/session/custody/, docs/reliability.md.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '../log/logger.js';
import type { ItemClassifier, ItemCustody, MachinePort } from '../domain/ports.js';
import { handBack } from './hand-back.js';
import { watchIntake, type IntakeWatch } from './intake-watch.js';
import { processItem, type ItemResult, type MaterialGate, type PointsTable } from './item-processing.js';
import type { SessionFlow } from './session-flow.js';
import { captureSettledWeight, DEFAULT_WEIGHT_WAIT_MS, type WeightCapture } from './weight-capture.js';

export { BIN_FOR } from './availability.js';
export type { PointsTable } from './item-processing.js';
export { DEFAULT_WEIGHT_WAIT_MS } from './weight-capture.js';

const log = createLogger('deposit');

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
  /** Per-material availability: checked after classification, before the gate moves; told of a gate's BIN_FULL. */
  availability?: MaterialGate;
  /** A hand-back failed: the item is stuck (raise `item_stuck`). */
  onStuck?: (detail: string) => void;
  onBusy?: (busy: boolean) => void;
}

export function wireDepositPipeline(options: PipelineOptions): () => void {
  const { machine, flow } = options;
  const onStuck = options.onStuck ?? ((detail: string) => log.error('item stuck', { detail }));
  const captures = new Set<WeightCapture>();
  /** The item in the intake (from item-present until it is on its way, handed back or ended), if any. */
  let inIntake: IntakeWatch | null = null;
  /**
   * The next item, seen before the one ahead of it finished leaving the intake: a belt machine reports the
   * beam clear and the next item-present in the same breath as the sort's ACK, before the ACK's continuation
   * has run here. Its weight and beam are watched from its own item-present on; it starts once the intake frees.
   */
  let next: Watches | null = null;
  /** Items not ended yet: in the intake or riding to their bins. */
  let unfinished = 0;

  const watch = (): Watches => {
    // Listen from the item-present event on, so a reading or a cleared beam that follows it in the same batch is not missed.
    const capture = captureSettledWeight(machine, options.weightWaitMs ?? DEFAULT_WEIGHT_WAIT_MS);
    captures.add(capture);
    return { capture, intake: watchIntake(machine) };
  };
  const letGo = ({ capture, intake }: Watches) => {
    capture.cancel();
    captures.delete(capture);
    intake.stop();
  };

  const begin = (watches: Watches) => {
    if (flow.current.phase !== 'active') {
      letGo(watches);
      log.info('item inserted outside an active session; returning it', { phase: flow.current.phase });
      void handBack(machine, 'no active session', onStuck);
      return;
    }
    const { capture, intake } = watches;
    inIntake = intake;
    flow.send('item_begin');
    // The session does not end while this item is unfinished: its result belongs to it (session-flow.ts).
    const release = flow.hold();
    if (unfinished++ === 0) options.onBusy?.(true);
    let intakeFreed = false;
    const freeIntake = () => {
      if (intakeFreed) return;
      intakeFreed = true;
      inIntake = null;
      flow.send('item_end');
      const waiting = next;
      next = null;
      if (waiting) begin(waiting);
    };
    const deps = {
      machine,
      classifier: options.classifier,
      custody: options.custody,
      points: options.points,
      sessionId: flow.current.sessionId ?? 'unknown',
      ...(flow.current.claimCode ? { claimCode: flow.current.claimCode } : {}),
      ...(flow.current.serverSessionId ? { serverSessionId: flow.current.serverSessionId } : {}),
      dropTimeoutMs: options.dropTimeoutMs ?? 8_000,
      onStuck,
      onIntakeFree: freeIntake,
      ...(options.availability ? { availability: options.availability } : {}),
      ...(options.canAccept ? { canAccept: options.canAccept } : {}),
    };
    processItem(deps, capture.grams, intake)
      .catch(async (err: Error): Promise<ItemResult> => {
        // A bug, not a known failure (each step above handles its own): still never leave the item in the intake.
        log.error('item processing failed unexpectedly; handing the item back', { error: err.message });
        const returned = intakeFreed || intake.cleared ? false : await handBack(machine, 'unexpected failure', onStuck);
        return { id: randomUUID(), material: 'reject', accepted: false, points: 0, outcome: returned || intakeFreed || intake.cleared ? 'sort_failed' : 'item_stuck', returned };
      })
      .then((result) => {
        const items = [...flow.current.items, { ...result, at: Date.now() }];
        flow.update({ items, totalPoints: items.reduce((sum, i) => sum + i.points, 0) });
      })
      .finally(() => {
        letGo(watches);
        freeIntake();
        release();
        if (--unfinished === 0) options.onBusy?.(false);
      });
  };

  const offs = [
    machine.on('itemPresent', () => {
      if (inIntake && (!inIntake.cleared || next)) {
        log.warn('item-present while an item is already in the intake: ignored (the intake holds one item)');
        return;
      }
      if (inIntake) next = watch();
      else begin(watch());
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    for (const capture of captures) capture.cancel();
  };
}

interface Watches {
  capture: WeightCapture;
  intake: IntakeWatch;
}
