/**
 * The `setup` section: first-run setup (issue 13, docs/deployment.md). The ports `setup.serialPorts` offers
 * come from /dev; `extraSerialPorts` adds devices elsewhere (a test's or demo's simulator pseudo-terminal).
 */
import { z } from 'zod';

export const setupConfig = z.object({
  extraSerialPorts: z.array(z.string().min(1)).default([]),
}).strict();
