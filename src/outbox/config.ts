/** Outbox settings (the `outbox` section of the configuration); every field has a default. */
import { z } from 'zod';
import { MAX_TIMER_MS } from '../core/backoff.js';

export const outboxConfig = z.object({
  /**
   * Records handed to the sender per flush pass. The wired sender delivers them one request each, so a crash
   * between the server's answer and the ack can duplicate at most one record (see docs/outbox.md).
   */
  batchSize: z.number().int().min(1).max(500).default(50),
  /** Wait after a new record before flushing, so a busy session goes out as one batch. */
  flushDelayMs: z.number().int().min(0).max(MAX_TIMER_MS).default(500),
  /** Retry schedule while the server is unreachable: first delay, growth factor, cap; equal jitter (core/backoff.ts). */
  backoff: z
    .object({
      firstMs: z.number().int().min(1).max(MAX_TIMER_MS).default(1_000),
      factor: z.number().min(1).default(2),
      maxMs: z.number().int().min(1).max(MAX_TIMER_MS).default(60_000),
    })
    .strict()
    .default({ firstMs: 1_000, factor: 2, maxMs: 60_000 }),
  /**
   * Cap on a server-supplied wait. A server's Retry-After wins over our backoff, but not without bound: a
   * proxy's "Retry-After: 86400" must not stop credits for a day, and values past 2^31−1 ms used to overflow
   * setTimeout into a 1 ms retry loop. `retrySoon()` (link back) and a manual push still cut any wait short.
   */
  maxServerDelayMs: z.number().int().min(1_000).max(MAX_TIMER_MS).default(15 * 60_000),
  /** 5xx answers to one record alone before it is tested as the cause of a stuck batch (flush-pass.ts). */
  poisonStrikes: z.number().int().min(1).default(5),
  /** A send that has not settled after this long counts as a retryable (ambiguous) failure. */
  sendTimeoutMs: z.number().int().min(100).max(MAX_TIMER_MS).default(120_000),
  /** Pending records at which `outbox.state` raises the `backlog` alarm (the machine keeps working). */
  alarmPending: z.number().int().min(1).default(2_000),
  /** Pending records at which the machine goes out of service so growth stays bounded. */
  maxPending: z.number().int().min(1).default(50_000),
  /** Free disk space below which the machine goes out of service (bytes). */
  minFreeBytes: z.number().int().min(0).default(200 * 1024 * 1024),
  /**
   * Disk space set aside for the journals: released when a journal write hits a full disk, so the credit of
   * an item already in the bin and the ack of a delivered credit still get written (0 turns it off).
   */
  reserveBytes: z.number().int().min(0).max(64 * 1024 * 1024).default(256 * 1024),
  /**
   * While an ack cannot be written, delivery is paused (nothing is sent twice) and the ack is retried this
   * often; only once it is on disk does sending resume.
   */
  ackRetryMs: z.number().int().min(100).max(MAX_TIMER_MS).default(30_000),
  /** A journal segment is sealed (and becomes deletable once all acked) past this size. */
  segmentMaxBytes: z.number().int().min(1024).default(1024 * 1024),
}).strict();

export type OutboxConfig = z.infer<typeof outboxConfig>;
