/** Machine-controller link commands and events (the hardware work fills these in). */
import { z } from 'zod';
import { command } from './define.js';

export const hardwareCommands = {
  'hardware.status': command(z.object({}).strict(), z.object({}).passthrough()),
} as const;

export const hardwareEvents = {
  'hardware.state': z.object({}).passthrough(),
} as const;
