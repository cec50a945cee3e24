/** detection commands and events (filled in by the detection work). */
import { z } from 'zod';
import { command } from './define.js';

export const detectionCommands = {
  'detection.status': command(z.object({}).strict(), z.object({}).passthrough()),
} as const;

export const detectionEvents = {
  'detection.state': z.object({}).passthrough(),
} as const;
