/**
 * The operator log's settings (the `operatorLog` section of the configuration): how big one file may grow and
 * how many files are kept. The defaults (5 MB × 5) hold months of sessions on a busy machine while capping the
 * log at 25 MB of a Jetson's small eMMC.
 */
import { z } from 'zod';

export const operatorLogConfig = z
  .object({
    /** A file is rotated before a line would take it past this size. */
    maxBytes: z.number().int().min(4096).default(5 * 1024 * 1024),
    /** Files kept, the current one included: operator.jsonl, operator.jsonl.1 … operator.jsonl.<files-1>. */
    files: z.number().int().min(1).max(50).default(5),
  })
  .strict();

export type OperatorLogConfig = z.infer<typeof operatorLogConfig>;
