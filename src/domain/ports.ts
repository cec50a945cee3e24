/**
 * What the session flow needs from the other domains, as small interfaces. The hardware, detection and
 * server-link work each provide one implementation (real and simulated); the flow depends on nothing else,
 * so it can be tested with fakes and wired to real parts in src/app.
 */
import type { DetectionReject } from '../contract/outcomes.js';

export type Material = 'pet' | 'can' | 'glass' | 'reject';
export type Bin = 'plastic' | 'can' | 'glass' | 'reject';

export interface MachineEvents {
  /** The intake IR beam saw an item. */
  itemPresent: () => void;
  /**
   * The drop sensor saw an item fall into a bin. `itemId` is the id the item was sorted with, when the
   * controller names it (rvm1 protocol 2; the legacy dialect's synthesised drop carries the id of the sort
   * it confirms); absent for a move nobody named. Only a drop naming an item in custody can become a credit.
   */
  itemDropped: (bin: Bin, itemId?: string) => void;
  /** A load-cell reading in grams. */
  weight: (grams: number) => void;
  /**
   * The intake beam cleared: the item moved on (to the belt, a bin, the reject tray) or a person took it out.
   * Comes before the item's DROP on a normal run; without a DROP after it, the item was taken back.
   */
  itemRemoved: () => void;
}

export interface MachinePort {
  on<E extends keyof MachineEvents>(event: E, listener: MachineEvents[E]): () => void;
  /**
   * Move the sorting gate and run the conveyor so the item reaches `bin`. Resolves when the controller ACKs.
   * `itemId` travels with the item to its DROP (where the controller can name items).
   */
  sortTo(bin: Bin, itemId?: string): Promise<void>;
  /** Give a rejected item back to the recycler. */
  returnItem(): Promise<void>;
  setDoorLocked(locked: boolean): Promise<void>;
}

/** What the controller says became of an item id (rvm1 `WHERE`). */
export type ItemWhereabouts = { state: 'dropped'; bin: Bin } | { state: 'transit' } | { state: 'unknown' };

/**
 * What item custody needs from the controller beyond MachinePort: whether it can name items, where a named
 * item went, whether the intake holds something, and word that the link is (back) up — the moment to
 * reconcile, since events sent while it was down may be gone.
 */
export interface MachineTracking {
  /** True when sorts carry item ids and the controller answers `whereIs` (rvm1); false for the legacy firmware. */
  readonly tracksItems: boolean;
  readonly connected: boolean;
  /** Where the controller says the item is; null when it cannot say (legacy). Rejects when the link is down. */
  whereIs(itemId: string): Promise<ItemWhereabouts | null>;
  /** Whether something sits in the intake now (controller status); null when the controller cannot say. */
  intakeOccupied(): Promise<boolean | null>;
  /** Called on every (re)connection of the controller link. */
  onLinkUp(listener: () => void): () => void;
}

/**
 * Why the classifier refused an item: the contract's detection rejects (src/contract/outcomes.ts, shared with
 * the screens) plus `detector_error` when classification itself failed.
 */
export type RejectReason = DetectionReject | 'detector_error';

export interface Detection {
  label: string;
  score: number;
  /** [x1, y1, x2, y2] in source image pixels. */
  box: [number, number, number, number];
}

export type Classification =
  | { accepted: true; material: Exclude<Material, 'reject'>; confidence: number; detections: Detection[]; image?: Buffer }
  | { accepted: false; reason: RejectReason; confidence: number; detections: Detection[]; image?: Buffer };

/**
 * The item's settled load-cell reading for the classifier: a number, or the reading still to come (null when
 * the load cell gave none). A promise lets the photo and the inference run while the load cell settles.
 */
export type WeightReading = number | Promise<number | null>;

export interface ItemClassifier {
  /**
   * Capture a frame and classify it; `weight` is the load-cell reading when there is one. Given a promise, the
   * classifier photographs and detects first and waits for the weight only to make its decision.
   */
  classify(weight?: WeightReading): Promise<Classification>;
}

export interface CreditRecord {
  /** Client-generated id, unique per item, so the server side can spot duplicates. */
  id: string;
  sessionId: string;
  /** A guest session's claim code (src/session/claim-code.ts), carried to the credit and the deposit. */
  claimCode?: string | undefined;
  /** The server's id for the session (`guest_…`), sent as the deposit's session_id instead of `sessionId`. */
  serverSessionId?: string | undefined;
  material: Exclude<Material, 'reject'>;
  points: number;
  weightGrams: number | null;
  confidence: number;
  at: string;
  image?: Buffer;
}

export interface CreditStore {
  /**
   * Resolves only once the record is durable on disk (fsync). Only then may the UI say it counted. A record
   * whose id the store already holds or has delivered is ignored (resolves without a second record).
   */
  record(credit: CreditRecord): Promise<void>;
  /** False while the store cannot make a credit durable (disk full, journal unwritable). */
  canAccept?(): boolean;
}

/**
 * The decision to send an item to a bin, journaled before the gate moves: the pre-commit record of a credit.
 * `itemId` becomes the credit's id, so however often a drop is confirmed, there is one credit per item.
 */
export interface CustodyRecord {
  itemId: string;
  sessionId: string;
  /** A guest session's claim code (src/session/claim-code.ts), carried to the credit and the deposit. */
  claimCode?: string | undefined;
  /** The server's id for the session (`guest_…`), carried to the credit and the deposit like `claimCode`. */
  serverSessionId?: string | undefined;
  material: Exclude<Material, 'reject'>;
  bin: Exclude<Bin, 'reject'>;
  points: number;
  weightGrams: number | null;
  confidence: number;
  /** ISO time of the decision. */
  at: string;
}

/**
 * How custody settled an item:
 * - `credited`: the drop into its bin was confirmed and the credit is durable in the CreditStore;
 * - `not_dropped`: the controller says it never reached the bin (pulled back, refused, not there): closed, no credit;
 * - `unconfirmed`: nobody can tell yet (link down, still moving): kept open, reconciled on reconnect or restart;
 * - `wrong_bin`: the controller says it dropped into another bin than it was sorted to: closed, no credit;
 * - `storage_error`: the drop was confirmed but the credit could not be written: kept open, retried at reconciliation.
 */
export type CustodyOutcome =
  | { kind: 'credited' }
  | { kind: 'not_dropped'; detail: string }
  | { kind: 'wrong_bin'; bin: Bin; detail: string }
  | { kind: 'unconfirmed'; detail: string }
  | { kind: 'storage_error'; detail: string };

/** Item custody as the deposit pipeline uses it (src/session/custody/). */
export interface ItemCustody {
  /** Durably journal (fsync) that this item is about to go to `record.bin`. Rejects when it cannot: do not sort then. */
  open(record: CustodyRecord, image?: Buffer): Promise<void>;
  /**
   * Wait up to `timeoutMs` for the confirmed drop of an opened item, credit it, and say how it ended. Past
   * the wait the controller is asked where the item is. Resolves, never rejects.
   */
  settle(itemId: string, timeoutMs: number): Promise<CustodyOutcome>;
}

/** The server side of a session: guest ids, QR login tokens, and word that a phone logged in. */
export interface SessionServer {
  /** `fromServer`: the id is the server's own (`guest_…`), to be sent with the deposits; false for a local one. */
  startGuest(): Promise<{ sessionId: string; displayName: string; fromServer: boolean }>;
  /** A fresh QR login token; `content` is what the QR code encodes. */
  qrToken(): Promise<{ content: string; expiresAt: number }>;
  /** A user redeemed the QR token (realtime `session.authorized`, or polling where the server has none). */
  onAuthorized(listener: (user: { sessionId: string; userName: string; balance?: number | null }) => void): () => void;
}
