import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export interface HardwareSlice {
  link: PayloadOf<'hardware.state'> | null;
  bins: PayloadOf<'hardware.bins'> | null;
  /**
   * Whether the intake sensor sees an item, as last read with `hardware.status` (null: not read yet). The
   * session screen reads it while a returned item waits, to say "take your item back" until the intake is clear.
   */
  itemPresent: boolean | null;
  setLink(link: PayloadOf<'hardware.state'>): void;
  setBins(bins: PayloadOf<'hardware.bins'>): void;
  setItemPresent(present: boolean | null): void;
}

export const createHardwareSlice: StateCreator<HardwareSlice, [], [], HardwareSlice> = (set) => ({
  link: null,
  bins: null,
  itemPresent: null,
  setLink: (link) => set({ link }),
  setBins: (bins) => set({ bins }),
  setItemPresent: (itemPresent) => set({ itemPresent }),
});
