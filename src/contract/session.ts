/** The recycler's session: start, items counted, finish. */
import { z } from 'zod';
import { command } from './define.js';
import { ItemOutcome } from './outcomes.js';

export const SessionPhase = z.enum(['idle', 'waiting_login', 'active', 'processing', 'finished']);

export const DepositedItem = z.object({
  id: z.string(),
  material: z.string(),
  accepted: z.boolean(),
  points: z.number().int().nonnegative(),
  /** What became of the item: 'accepted', or why not (assets/i18n/<language>/codes.json `outcome.<code>`). */
  outcome: ItemOutcome,
  /** The item was handed back to the recycler: the screen says "take your item back" until the intake is clear. */
  returned: z.boolean(),
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
  /**
   * A guest session's claim code (set at start; src/session/claim-code.ts): it travels with every credit of
   * the session, so the MyRVM app can claim the points later. Null for member sessions and when idle.
   */
  claimCode: z.string().nullable(),
  /** What the claim QR encodes (`myrvm://claim?code=…&rvm=…`); null whenever `claimCode` is. */
  claimUrl: z.string().nullable(),
  /** The guest gave the points away on the end screen (durably recorded); the claim QR is no longer shown. */
  donated: z.boolean(),
  /** Epoch ms when the full-screen "are you still there?" prompt shows; null outside `active`. */
  promptAt: z.number().nullable(),
  /**
   * The member's points balance as the server sent it with `session.authorized` (shown in the session
   * header); null when the server sent none, for guests and when idle.
   */
  balance: z.number().nullable(),
  /**
   * The server's own id for this session (`guest_…` from `POST /api/v1/kiosk/session/guest`), sent as each
   * deposit's `session_id`; null while the server has not answered or when it could not (offline guest).
   * `sessionId` stays the kiosk's own id (custody, logs, donations).
   */
  serverSessionId: z.string().nullable(),
});

export const sessionCommands = {
  'session.start': command(z.object({ mode: z.enum(['guest', 'qr']) }).strict(), SessionState),
  'session.finish': command(z.object({}).strict(), SessionState),
  'session.cancel': command(z.object({}).strict(), SessionState),
  /** "Continue" on the still-there prompt: extends the idle deadline and clears the prompt. */
  'session.continue': command(z.object({}).strict(), SessionState),
  /** On the end screen: give a guest session's points away (only in `finished` with a claim code). */
  'session.donate': command(z.object({}).strict(), SessionState),
} as const;

export const sessionEvents = {
  'session.state': SessionState,
} as const;
