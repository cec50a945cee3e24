import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export interface MaintenanceSlice {
  maintenance: PayloadOf<'maintenance.state'> | null;
  /** The open alerts as the core last pushed them (`monitoring.alerts`): the alerts tab reloads when they change. */
  openAlerts: PayloadOf<'monitoring.alerts'> | null;
  setMaintenance(maintenance: PayloadOf<'maintenance.state'>): void;
  setOpenAlerts(alerts: PayloadOf<'monitoring.alerts'>): void;
}

export const createMaintenanceSlice: StateCreator<MaintenanceSlice, [], [], MaintenanceSlice> = (set) => ({
  maintenance: null,
  openAlerts: null,
  setMaintenance: (maintenance) => set({ maintenance }),
  setOpenAlerts: (openAlerts) => set({ openAlerts }),
});
