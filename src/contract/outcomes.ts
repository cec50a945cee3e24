/**
 * What became of one inserted item: one code, shared by the deposit pipeline (src/session), the contract
 * (`session.state` items) and the screens (assets/i18n/<language>/codes.json, `outcome.<code>`). A test fails
 * if a code has no string in either language. docs/flow.md says when each is given.
 */
import { z } from 'zod';

/** The classifier's verdicts against an item (src/detection/decision.ts). */
export const detectionRejects = ['nothing_seen', 'low_confidence', 'multiple_objects', 'not_a_container', 'weight_out_of_range', 'camera_unavailable'] as const;

/** Failures once the item is in the intake, after (or instead of) a verdict. */
export const handlingFailures = [
  /** The classifier threw or hung: the item is handed back. */
  'detector_error',
  /** Accepted by the classifier, but its bin is full or faulty (availability), or the gate said BIN_FULL: handed back. */
  'material_unavailable',
  /** The credit store cannot take a credit (disk full, journal unwritable): handed back before the gate moves. */
  'storage_error',
  /** The controller refused the sort, or its link dropped before the gate moved: handed back. */
  'sort_failed',
  /** The recycler took the item back before it dropped: nothing counted. */
  'pulled_back',
  /** The drop could not be confirmed yet: kept in custody, credited later if it reached its bin. */
  'drop_unconfirmed',
  /** The drop sensor saw the item in a different bin than the one sorted to: not counted, technician alerted. */
  'wrong_bin',
  /** Handing the item back failed too: the machine goes out of service with `item_stuck`. */
  'item_stuck',
] as const;

export const ItemOutcome = z.enum(['accepted', ...detectionRejects, ...handlingFailures]);
export type ItemOutcome = z.infer<typeof ItemOutcome>;
export type RejectOutcome = Exclude<ItemOutcome, 'accepted'>;
/** A verdict of the classifier against an item. */
export type DetectionReject = (typeof detectionRejects)[number];
export type HandlingFailure = (typeof handlingFailures)[number];
