/**
 * Helpers to declare contract entries. A command is a request schema plus a reply schema; an event is a
 * payload schema. Domain files (system.ts, hardware.ts, …) declare their entries with these helpers and
 * index.ts merges them, so every domain owns its own file and the merged types stay exact.
 */
import type { z } from 'zod';

export interface CommandSpec<Req extends z.ZodType = z.ZodType, Rep extends z.ZodType = z.ZodType> {
  request: Req;
  reply: Rep;
}

export function command<Req extends z.ZodType, Rep extends z.ZodType>(request: Req, reply: Rep): CommandSpec<Req, Rep> {
  return { request, reply };
}

export type CommandTable = Record<string, CommandSpec>;
export type EventTable = Record<string, z.ZodType>;
