import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export interface MaintenanceSlice {
  maintenance: PayloadOf<'maintenance.state'> | null;
  setMaintenance(maintenance: PayloadOf<'maintenance.state'>): void;
}

export const createMaintenanceSlice: StateCreator<MaintenanceSlice, [], [], MaintenanceSlice> = (set) => ({
  maintenance: null,
  setMaintenance: (maintenance) => set({ maintenance }),
});
