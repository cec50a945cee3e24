/**
 * The UI's handle on the core. Components call commands through `callCore`, which turns a failure into the
 * store's visible error instead of an unhandled rejection.
 */
import type { CommandName, KioskClient, ReplyOf, RequestOf } from '../../../src/contract/index.js';
import { kioskStore } from '../store/store.js';

let current: KioskClient | null = null;

export function setClient(client: KioskClient): void {
  current = client;
}

export async function callCore<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ReplyOf<N> | null> {
  if (!current) return null;
  try {
    const reply = await current.call(name, request);
    kioskStore.getState().setError(null);
    return reply;
  } catch (err) {
    kioskStore.getState().setError(err instanceof Error ? err.message : String(err));
    return null;
  }
}
