import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export interface ClockSlice {
  clock: PayloadOf<'clock.state'>;
  setClock(clock: PayloadOf<'clock.state'>): void;
}

export const initialClock: PayloadOf<'clock.state'> = {
  offsetMs: 0,
  timezone: 'Asia/Jakarta',
  abbreviation: 'WIB',
  synced: false,
  source: 'device',
  driftAlarm: false,
  sync: { zoneSource: 'config', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null },
};

export const createClockSlice: StateCreator<ClockSlice, [], [], ClockSlice> = (set) => ({
  clock: initialClock,
  setClock: (clock) => set({ clock }),
});
