/** maintenance commands and events (filled in by the maintenance work). */
import { z } from 'zod';
import { command } from './define.js';

export const maintenanceCommands = {
  'maintenance.status': command(z.object({}).strict(), z.object({}).passthrough()),
} as const;

export const maintenanceEvents = {
  'maintenance.state': z.object({}).passthrough(),
} as const;
