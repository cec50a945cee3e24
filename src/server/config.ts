import { z } from 'zod';

/** MyRVM server link. `simulator` (the default) runs the built-in server simulator on loopback. */
export const serverConfig = z.object({
  mode: z.enum(['simulator', 'remote']).default('simulator'),
});
