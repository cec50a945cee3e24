/**
 * What the session flow needs from the other domains, as small interfaces. The hardware, detection and
 * server-link work each provide one implementation (real and simulated); the flow depends on nothing else,
 * so it can be tested with fakes and wired to real parts in src/app.
 */
export type Material = 'pet' | 'can' | 'glass' | 'reject';
export type Bin = 'plastic' | 'can' | 'glass' | 'reject';

export interface MachineEvents {
  /** The intake IR beam saw an item. */
  itemPresent: () => void;
  /** The drop sensor confirmed an item fell into a bin: the confirmation before credit. */
  itemDropped: (bin: Bin) => void;
  /** A load-cell reading in grams. */
  weight: (grams: number) => void;
}

export interface MachinePort {
  on<E extends keyof MachineEvents>(event: E, listener: MachineEvents[E]): () => void;
  /** Move the sorting gate and run the conveyor so the item reaches `bin`. Resolves when the controller ACKs. */
  sortTo(bin: Bin): Promise<void>;
  /** Give a rejected item back to the recycler. */
  returnItem(): Promise<void>;
  setDoorLocked(locked: boolean): Promise<void>;
}

export type RejectReason =
  | 'nothing_seen'
  | 'low_confidence'
  | 'multiple_objects'
  | 'not_a_container'
  | 'weight_out_of_range'
  | 'camera_unavailable'
  | 'detector_error';

export interface Detection {
  label: string;
  score: number;
  /** [x1, y1, x2, y2] in source image pixels. */
  box: [number, number, number, number];
}

export type Classification =
  | { accepted: true; material: Exclude<Material, 'reject'>; confidence: number; detections: Detection[]; image?: Buffer }
  | { accepted: false; reason: RejectReason; confidence: number; detections: Detection[]; image?: Buffer };

export interface ItemClassifier {
  /** Capture a frame and classify it; `weightGrams` is the load-cell reading when there is one. */
  classify(weightGrams?: number): Promise<Classification>;
}

export interface CreditRecord {
  /** Client-generated id, unique per item, so the server side can spot duplicates. */
  id: string;
  sessionId: string;
  material: Exclude<Material, 'reject'>;
  points: number;
  weightGrams: number | null;
  confidence: number;
  at: string;
  image?: Buffer;
}

export interface CreditStore {
  /** Resolves only once the record is durable on disk (fsync). Only then may the UI say it counted. */
  record(credit: CreditRecord): Promise<void>;
}

/** The server side of a session: guest ids, QR login tokens, and word that a phone logged in. */
export interface SessionServer {
  startGuest(): Promise<{ sessionId: string; displayName: string }>;
  /** A fresh QR login token; `content` is what the QR code encodes. */
  qrToken(): Promise<{ content: string; expiresAt: number }>;
  /** A user redeemed the QR token (realtime `session.authorized`, or polling where the server has none). */
  onAuthorized(listener: (user: { sessionId: string; userName: string }) => void): () => void;
}
