/** The durable outbox for credits. (Stub until the outbox work lands: NOT durable yet.) */
import type { CreditStore } from '../session/ports.js';
import type { KioskContext } from './context.js';

export async function setupOutbox(_ctx: KioskContext): Promise<CreditStore> {
  return { record: async () => undefined };
}
