/**
 * Wire shapes of the designed endpoints: in the design documents and older clients, absent from
 * today's MyRVM-Server (contract §4, §1.5, §2.3). The kiosk calls them when a server has them, and our
 * simulator implements these shapes. Kept lenient (passthrough) since no server fixes them yet.
 */
import { z } from 'zod';

const ok = z.literal('success');

// Timezone sync replies (two spellings, either envelope): src/server/endpoints/designed-timezone.ts.
export const rvmConfigReply = z.object({
  status: ok,
  data: z.object({ confidence_threshold: z.number().min(0).max(1).optional() }).passthrough(),
});

/** Designed QR login status (after MyRVM-Platform's `GET …/session/status`): the polling twin of `session.authorized`. */
export const sessionStatusReply = z.object({
  success: z.literal(true),
  data: z.object({
    status: z.enum(['pending', 'authorized', 'expired']),
    session_id: z.string().nullable().optional(),
    user: z.object({ id: z.number().int().optional(), name: z.string(), balance: z.number().optional() }).nullable().optional(),
  }),
});
