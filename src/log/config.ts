/**
 * The operator log's settings (the `operatorLog` section of the configuration): how big one file may grow and
 * how many files are kept, and how many days of lines. The defaults (5 MB × 5, 30 days) cap the log at 25 MB of a
 * Jetson's small eMMC and keep a month of "my bottle didn't count" answerable.
 */
import { z } from 'zod';

export const operatorLogConfig = z
  .object({
    /** A file is rotated before a line would take it past this size. */
    maxBytes: z.number().int().min(4096).default(5 * 1024 * 1024),
    /** Files kept, the current one included: operator.jsonl, operator.jsonl.1 … operator.jsonl.<files-1>. */
    files: z.number().int().min(1).max(50).default(5),
    /** Lines older than this many days are removed (0: keep until rotated out by size). */
    maxAgeDays: z.number().int().min(0).max(3650).default(30),
  })
  .strict();

export type OperatorLogConfig = z.infer<typeof operatorLogConfig>;
