import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

/** The server link and the outbox of credits it owes: what the status line and the maintenance screen show. */
export interface LinkSlice {
  server: PayloadOf<'server.state'> | null;
  outbox: PayloadOf<'outbox.state'> | null;
  setServer(server: PayloadOf<'server.state'>): void;
  setOutbox(outbox: PayloadOf<'outbox.state'>): void;
}

export const createLinkSlice: StateCreator<LinkSlice, [], [], LinkSlice> = (set) => ({
  server: null,
  outbox: null,
  setServer: (server) => set({ server }),
  setOutbox: (outbox) => set({ outbox }),
});
