/**
 * Helpers to declare contract entries. A command is a request schema plus a reply schema; an event is a
 * payload schema. Domain files (system.ts, hardware.ts, …) declare their entries with these helpers and
 * index.ts merges them, so every domain owns its own file and the merged types stay exact.
 */
import type { z } from 'zod';

/** `technician`: only while maintenance mode is open (technician PIN); the core refuses it otherwise. */
export type CommandAccess = 'public' | 'technician';

export interface CommandSpec<Req extends z.ZodType = z.ZodType, Rep extends z.ZodType = z.ZodType> {
  request: Req;
  reply: Rep;
  access: CommandAccess;
}

export function command<Req extends z.ZodType, Rep extends z.ZodType>(
  request: Req,
  reply: Rep,
  { access = 'public' }: { access?: CommandAccess } = {},
): CommandSpec<Req, Rep> {
  return { request, reply, access };
}

/** Shorthand for a command only a technician in maintenance mode may send. */
export function technicianCommand<Req extends z.ZodType, Rep extends z.ZodType>(request: Req, reply: Rep): CommandSpec<Req, Rep> {
  return command(request, reply, { access: 'technician' });
}
