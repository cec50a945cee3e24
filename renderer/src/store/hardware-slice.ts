import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export interface HardwareSlice {
  link: PayloadOf<'hardware.state'> | null;
  bins: PayloadOf<'hardware.bins'> | null;
  setLink(link: PayloadOf<'hardware.state'>): void;
  setBins(bins: PayloadOf<'hardware.bins'>): void;
}

export const createHardwareSlice: StateCreator<HardwareSlice, [], [], HardwareSlice> = (set) => ({
  link: null,
  bins: null,
  setLink: (link) => set({ link }),
  setBins: (bins) => set({ bins }),
});
