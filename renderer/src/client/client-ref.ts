/**
 * The UI's handle on the core. Components call commands through `callCore`, which turns a failure into the
 * store's visible error (a refusal code the toast translates) instead of an unhandled rejection.
 */
import type { CommandName, EventName, KioskClient, PayloadOf, ReplyOf, RequestOf } from '../../../src/contract/index.js';
import { refusalOf } from '../../../src/contract/errors.js';
import { kioskStore } from '../store/store.js';

let current: KioskClient | null = null;

export function setClient(client: KioskClient): void {
  current = client;
}

/** A component's own subscription to a core event that no store slice keeps (a passing notice); no client, no events. */
export function onCoreEvent<N extends EventName>(name: N, listener: (payload: PayloadOf<N>) => void): () => void {
  return current ? current.on(name, listener) : () => undefined;
}

export async function callCore<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ReplyOf<N> | null> {
  if (!current) return null;
  try {
    const reply = await current.call(name, request);
    kioskStore.getState().setError(null);
    return reply;
  } catch (err) {
    // The toast shows the code's translation; the English detail goes to the console for a technician.
    const refusal = refusalOf(err);
    console.warn(`kiosk: ${name} refused (${refusal.reason}): ${refusal.detail}`);
    kioskStore.getState().setError(refusal.reason);
    return null;
  }
}
