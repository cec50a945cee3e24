/** outbox commands and events (filled in by the outbox work). */
import { z } from 'zod';
import { command } from './define.js';

export const outboxCommands = {
  'outbox.status': command(z.object({}).strict(), z.object({}).passthrough()),
} as const;

export const outboxEvents = {
  'outbox.state': z.object({}).passthrough(),
} as const;
