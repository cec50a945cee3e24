import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

/** Remote access (`remote.state`), kept in the store so a running session's countdown survives switching tabs. */
export interface RemoteSlice {
  remote: PayloadOf<'remote.state'> | null;
  setRemote(remote: PayloadOf<'remote.state'>): void;
}

export const createRemoteSlice: StateCreator<RemoteSlice, [], [], RemoteSlice> = (set) => ({
  remote: null,
  setRemote: (remote) => set({ remote }),
});
