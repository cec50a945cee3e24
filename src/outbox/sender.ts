/**
 * What the outbox needs from the server link: one call that delivers a batch of records, in order, and says
 * how it went. The outbox never talks HTTP itself; src/app/wire-server-link.ts attaches one built on
 * src/server/deposit-sender.ts (see docs/outbox.md), and tests use a loopback receiver.
 */
import type { CreditRecord } from '../domain/ports.js';

/**
 * A record as handed to the sender: the credit plus its journal position. Its photo stays on disk: `photo`
 * opens it for streaming (src/outbox/image-store.ts `open`), so a batch never holds photos in memory.
 */
export interface OutboxItem extends Omit<CreditRecord, 'image'> {
  seq: number;
  /** Device wall time when the record became durable. */
  recordedAt: string;
  photo?: StoredPhoto;
}

export interface StoredPhoto {
  /** Size on disk. */
  bytes: number;
  /** The checked photo as a file-backed Blob, or null when it went missing or is damaged (send without it). */
  open(): Promise<Blob | null>;
}

export type SendResult =
  /** The server accepted every record of the batch. */
  | { kind: 'ok' }
  /**
   * Try again later (network error, timeout, 5xx, and any refusal that is not about the data itself: 401,
   * 403, 404, 429 — the deposit sender's rules are in src/server/deposit-sender.ts). `accepted`: how many leading records did get
   * through before the failure (a one-by-one sender); `retryAfterMs` from a Retry-After header; `status`
   * the HTTP status when the server did answer (null or absent for network errors and timeouts).
   */
  | { kind: 'retryable'; message: string; retryAfterMs?: number; accepted?: number; status?: number | null }
  /** The server refused the data itself (400, 413, 422): retrying unchanged cannot help; the record is parked. */
  | { kind: 'permanent'; message: string; accepted?: number };

export interface OutboxSender {
  send(batch: readonly OutboxItem[]): Promise<SendResult>;
  /**
   * The most records one `send` should carry. A sender that makes one request per record says 1, so each
   * record's ack is written as soon as the server took it: a crash mid-backlog then re-sends one record,
   * not every record the batch had already delivered.
   */
  maxBatch?: number;
}

/**
 * Adapt a one-record call (e.g. `/edge/deposit`, multipart with the image) to a batch sender: records go
 * one after another and the batch stops at the first failure, reporting how many got through, so nothing
 * already accepted is sent again.
 */
export function oneByOneSender(sendOne: (item: OutboxItem) => Promise<SendResult>): OutboxSender {
  return {
    maxBatch: 1,
    async send(batch) {
      for (let i = 0; i < batch.length; i += 1) {
        const result = await sendOne(batch[i]!);
        if (result.kind !== 'ok') return { ...result, accepted: i + (result.accepted ?? 0) };
      }
      return { kind: 'ok' };
    },
  };
}
