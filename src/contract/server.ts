/** server commands and events (filled in by the server work). */
import { z } from 'zod';
import { command } from './define.js';

export const serverCommands = {
  'server.status': command(z.object({}).strict(), z.object({}).passthrough()),
} as const;

export const serverEvents = {
  'server.state': z.object({}).passthrough(),
} as const;
