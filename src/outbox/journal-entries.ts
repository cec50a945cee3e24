/**
 * What the outbox journals hold. Credit lines go to numbered segment files; acks and permanent failures go
 * to one small status journal (with committed-length marks for the segments). Every line is validated on replay, so a line written by a different
 * version (or damaged in a way the CRC missed) is reported as corrupt instead of crashing the start-up.
 */
import { z } from 'zod';

export const ImageRefSchema = z.object({
  file: z.string().regex(/^[0-9a-f]{32}\.img$/),
  bytes: z.number().int().nonnegative(),
  crc: z.number().int().nonnegative(),
});

export const CreditLine = z.object({
  t: z.literal('credit'),
  seq: z.number().int().positive(),
  id: z.string().min(1),
  sessionId: z.string(),
  material: z.enum(['pet', 'can', 'glass']),
  points: z.number(),
  weightGrams: z.number().nullable(),
  confidence: z.number(),
  at: z.string(),
  /** Device-side wall time the line was written (for the journal reader, not for the server). */
  recordedAt: z.string(),
  image: ImageRefSchema.optional(),
  /**
   * The guest session's claim code (src/session/claim-code.ts), sent with the credit so the MyRVM app can
   * claim it. Absent for member sessions and in lines written before claim codes existed (they replay as is).
   */
  claimCode: z.string().optional(),
  /** The server's id for the session (`guest_…`), sent as the deposit's session_id; absent when it gave none. */
  serverSessionId: z.string().optional(),
});

export const AckLine = z.object({
  t: z.literal('ack'),
  ids: z.array(z.string()),
  at: z.string(),
  /** Running total of records ever acknowledged, so the count survives compaction. */
  total: z.number().int().nonnegative(),
});

export const FailLine = z.object({
  t: z.literal('fail'),
  id: z.string(),
  reason: z.string(),
  at: z.string(),
});

/**
 * A committed-length mark: when it was written, the first `bytes` bytes of segment `segment` were fsynced and
 * held records up to `seq`. Written with every ack (same write, same fsync), when a segment is sealed, and on
 * close. A segment found shorter than its mark, or with a torn tail inside the marked bytes, lost data that
 * had been committed: that is damage, not a torn write.
 */
export const MarkLine = z.object({
  t: z.literal('mark'),
  segment: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
  at: z.string(),
});

export const StatusLine = z.discriminatedUnion('t', [AckLine, FailLine, MarkLine]);

export type CreditLine = z.infer<typeof CreditLine>;
export type StatusLine = z.infer<typeof StatusLine>;
export type MarkLine = z.infer<typeof MarkLine>;

/** A record the outbox still has to deliver, as held in memory (the image stays on disk). */
export type StoredCredit = Omit<CreditLine, 't'> & { segment: number; failure?: { reason: string; at: string } };
