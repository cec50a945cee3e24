import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

/** First-run setup as the core last pushed it (`setup.state`); null until the core has said anything. */
export interface SetupSlice {
  setup: PayloadOf<'setup.state'> | null;
  setSetup(setup: PayloadOf<'setup.state'>): void;
}

export const createSetupSlice: StateCreator<SetupSlice, [], [], SetupSlice> = (set) => ({
  setup: null,
  setSetup: (setup) => set({ setup }),
});
