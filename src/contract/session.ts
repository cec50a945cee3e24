/** The recycler's session: start, items counted, finish. */
import { z } from 'zod';
import { command } from './define.js';

export const SessionPhase = z.enum(['idle', 'waiting_login', 'active', 'processing', 'finished']);

export const DepositedItem = z.object({
  id: z.string(),
  material: z.string(),
  accepted: z.boolean(),
  points: z.number().int().nonnegative(),
  rejectReason: z.string().optional(),
  at: z.number(),
});

export const SessionState = z.object({
  phase: SessionPhase,
  sessionId: z.string().nullable(),
  mode: z.enum(['guest', 'member']).nullable(),
  userName: z.string().nullable(),
  items: z.array(DepositedItem),
  totalPoints: z.number().int().nonnegative(),
  /** Epoch ms when the current waiting phase times out, so the UI can show a countdown. */
  deadline: z.number().nullable(),
  qr: z.object({ content: z.string(), expiresAt: z.number() }).nullable(),
});

export const sessionCommands = {
  'session.start': command(z.object({ mode: z.enum(['guest', 'qr']) }).strict(), SessionState),
  'session.finish': command(z.object({}).strict(), SessionState),
  'session.cancel': command(z.object({}).strict(), SessionState),
} as const;

export const sessionEvents = {
  'session.state': SessionState,
} as const;
