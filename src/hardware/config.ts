import { z } from 'zod';

/** Machine controller link. `simulator` (the default) runs the built-in controller simulator. */
export const hardwareConfig = z.object({
  mode: z.enum(['simulator', 'serial']).default('simulator'),
});
