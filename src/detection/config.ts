import { z } from 'zod';

/** Item detection: which model and which camera. Defaults are the demo model and the demo images. */
export const detectionConfig = z.object({
  mode: z.enum(['demo', 'model']).default('demo'),
});
