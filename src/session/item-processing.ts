/**
 * One inserted item, from the settled weight to its outcome (src/contract/outcomes.ts): classify → check the
 * material is being accepted (availability) and the credit store can take a credit → journal the decision in
 * custody (fsync) → sort with the item's id → the drop sensor names the item → custody writes the credit
 * durably → only then `accepted`. Every failure while the item is still in the intake hands it back
 * (hand-back.ts) and says which failure it was; if the hand-back fails too the outcome is `item_stuck`.
 *
 *   classifier throws                        → detector_error (handed back)
 *   classifier refuses                       → its detection reject (handed back)
 *   intake cleared before the gate moved     → pulled_back (nothing to hand back)
 *   material not accepted now / gate BIN_FULL → material_unavailable (handed back; BIN_FULL refuses that bin)
 *   credit store full, journal unwritable    → storage_error (handed back before the gate moves)
 *   other sort NAK, link down before moving  → sort_failed (handed back)
 *   intake cleared after the sort, no drop   → pulled_back
 *   drop into another bin than sorted to     → wrong_bin
 *   drop not confirmed yet (link down)       → drop_unconfirmed (kept in custody, credited later if in its bin)
 *   drop confirmed, credit write failed      → storage_error (kept in custody, retried at reconciliation)
 *
 * Wrong bin credits nothing, on purpose: custody ties a credit to the bin journaled before the gate moved, so
 * a drop elsewhere is not proof of what the item was, and it now sits in a bin it contaminates. The recycler
 * is told (`outcome.wrong_bin`) and the technician gets a status notice naming the item and both bins.
 */
import { randomUUID } from 'node:crypto';
import type { ItemOutcome } from '../contract/outcomes.js';
import { isBinFullRefusal, machineFailureOf } from '../domain/machine-failure.js';
import type { Bin, Classification, CustodyOutcome, CustodyRecord, ItemClassifier, ItemCustody, MachinePort } from '../domain/ports.js';
import type { SessionItem } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { BIN_FOR, type AcceptedMaterial, type MaterialAvailability } from './availability.js';
import { handBack } from './hand-back.js';
import type { IntakeWatch } from './intake-watch.js';

const log = createLogger('deposit');

export type PointsTable = Record<AcceptedMaterial, number>;

/** What the pipeline needs of per-material availability (availability-book.ts). */
export interface MaterialGate {
  of(material: AcceptedMaterial): MaterialAvailability;
  /** The gate said BIN_FULL: refuse this bin until the controller reports it below the threshold. */
  refuseBin(bin: Bin): void;
}

export interface ItemDeps {
  machine: MachinePort;
  classifier: ItemClassifier;
  custody: ItemCustody;
  points: PointsTable;
  sessionId: string;
  claimCode?: string;
  /** The server's id for the session (`guest_…`), when it gave one: the deposit's session_id. */
  serverSessionId?: string;
  dropTimeoutMs: number;
  availability?: MaterialGate;
  canAccept?: () => boolean;
  /** The hand-back failed: raise `item_stuck` (stuck-item.ts). */
  onStuck: (detail: string) => void;
  /**
   * The controller ACKed the sort: the item is on its way and no longer this pipeline's to hand back, so the
   * next item may come in while this one rides to its bin (a belt machine's intake is clear by then).
   */
  onIntakeFree?: () => void;
}

/** One item's result, as the session records it (the bus's SessionItem without `at`). */
export type ItemResult = Omit<SessionItem, 'at'>;

export async function processItem(deps: ItemDeps, weight: Promise<number | null>, intake: IntakeWatch): Promise<ItemResult> {
  const { machine, custody } = deps;
  const back = async (outcome: ItemOutcome, material: string, id: string = randomUUID()): Promise<ItemResult> => {
    // The beam cleared: the recycler took the item out, and the intake may already hold the next one, which
    // a return move would throw out. Nothing to hand back.
    if (intake.cleared) return { id, material, accepted: false, points: 0, outcome, returned: false };
    const returned = await handBack(machine, outcome, deps.onStuck);
    return { id, material, accepted: false, points: 0, outcome: returned ? outcome : 'item_stuck', returned };
  };
  let result: Classification;
  try {
    // The photo and the inference run while the load cell settles; the decision waits for the reading.
    result = await deps.classifier.classify(weight);
  } catch (err) {
    log.error('the classifier failed; handing the item back', { error: machineFailureOf(err).message });
    return back('detector_error', 'reject');
  }
  const weightGrams = await weight; // the one reading the classifier judged is the one the credit carries
  if (!result.accepted) return back(result.reason, 'reject');
  const material = result.material;
  if (intake.cleared) {
    log.info('the item was taken out of the intake before the gate moved: nothing counted', { material });
    return ended('pulled_back', material);
  }
  const availability = deps.availability?.of(material);
  if (availability && !availability.accepting) {
    log.info('the material is not accepted now; handing the item back', { material, reason: availability.reason });
    return back('material_unavailable', material);
  }
  if (deps.canAccept && !deps.canAccept()) {
    log.warn('the credit store cannot take a credit now; handing the item back instead of sorting it', { material });
    return back('storage_error', material);
  }
  const bin = BIN_FOR[material];
  const record: CustodyRecord = {
    itemId: randomUUID(),
    sessionId: deps.sessionId,
    ...(deps.claimCode ? { claimCode: deps.claimCode } : {}),
    ...(deps.serverSessionId ? { serverSessionId: deps.serverSessionId } : {}),
    material,
    bin,
    points: deps.points[material],
    weightGrams,
    confidence: result.confidence,
    at: new Date().toISOString(),
  };
  const { itemId } = record;
  try {
    await custody.open(record, result.image); // durable before the gate moves
  } catch (err) {
    log.error('the sort decision could not be journaled; handing the item back instead of sorting it', { itemId, error: (err as Error).message });
    return back('storage_error', material, itemId);
  }
  let sortError: unknown = null;
  try {
    await machine.sortTo(bin, itemId);
    deps.onIntakeFree?.();
  } catch (err) {
    sortError = err;
    log.warn('the sort command failed; asking the controller what became of the item', { itemId, bin, error: machineFailureOf(err).message });
  }
  const settled = await custody.settle(itemId, sortError ? 0 : deps.dropTimeoutMs);
  if (settled.kind === 'credited') return { id: itemId, material, accepted: true, points: record.points, outcome: 'accepted', returned: false };
  if (settled.kind === 'wrong_bin') return ended('wrong_bin', material, itemId);
  if (sortError) {
    // The item did not (knowingly) move: it is in the intake. BIN_FULL from the gate also refuses that bin.
    if (!isBinFullRefusal(sortError)) return back('sort_failed', material, itemId);
    deps.availability?.refuseBin(bin);
    return back('material_unavailable', material, itemId);
  }
  return afterSort(settled, deps, { itemId, material, bin }, intake, back);
}

/** The sort was acknowledged but custody did not credit the item. */
async function afterSort(
  settled: Exclude<CustodyOutcome, { kind: 'credited' } | { kind: 'wrong_bin' }>,
  deps: ItemDeps,
  item: { itemId: string; material: AcceptedMaterial; bin: Bin },
  intake: IntakeWatch,
  back: (outcome: ItemOutcome, material: string, id?: string) => Promise<ItemResult>,
): Promise<ItemResult> {
  const { itemId, material, bin } = item;
  switch (settled.kind) {
    case 'not_dropped':
      if (intake.cleared) {
        log.info('the item left the intake but never dropped: taken back, nothing counted', { itemId, bin, detail: settled.detail });
        return ended('pulled_back', material, itemId);
      }
      log.warn('the sort was acknowledged but the item never left the intake; handing it back', { itemId, bin, detail: settled.detail });
      return back('sort_failed', material, itemId);
    case 'unconfirmed':
      log.warn('drop not confirmed yet; the item stays in custody and is credited if it reached its bin', { itemId, bin, detail: settled.detail });
      return ended('drop_unconfirmed', material, itemId);
    case 'storage_error':
      log.error('credit could not be stored; item not counted', { itemId, error: settled.detail });
      return ended('storage_error', material, itemId);
  }
  return ended('sort_failed', material, itemId);
}

function ended(outcome: ItemOutcome, material: string, id: string = randomUUID()): ItemResult {
  return { id, material, accepted: false, points: 0, outcome, returned: false };
}
