/**
 * One zustand store, split into slices by domain. Components read it with selectors; core events write it
 * through the slices' actions from bind-client.ts, outside React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createBackupSlice, type BackupSlice } from './backup-slice.js';
import { createClockSlice, type ClockSlice } from './clock-slice.js';
import { createDetectionSlice, type DetectionSlice } from './detection-slice.js';
import { createHardwareSlice, type HardwareSlice } from './hardware-slice.js';
import { createLinkSlice, type LinkSlice } from './link-slice.js';
import { createMaintenanceSlice, type MaintenanceSlice } from './maintenance-slice.js';
import { createRemoteSlice, type RemoteSlice } from './remote-slice.js';
import { createSessionSlice, type SessionSlice } from './session-slice.js';
import { createSetupSlice, type SetupSlice } from './setup-slice.js';
import { createSystemSlice, type SystemSlice } from './system-slice.js';

export type KioskState = SystemSlice & ClockSlice & SessionSlice & HardwareSlice & LinkSlice & MaintenanceSlice & DetectionSlice & BackupSlice & RemoteSlice & SetupSlice;

export function createKioskStore(): StoreApi<KioskState> {
  return createStore<KioskState>()((...a) => ({
    ...createSystemSlice(...a),
    ...createClockSlice(...a),
    ...createSessionSlice(...a),
    ...createHardwareSlice(...a),
    ...createLinkSlice(...a),
    ...createMaintenanceSlice(...a),
    ...createDetectionSlice(...a),
    ...createBackupSlice(...a),
    ...createRemoteSlice(...a),
    ...createSetupSlice(...a),
  }));
}

export const kioskStore = createKioskStore();

export function useKiosk<T>(selector: (state: KioskState) => T): T {
  return useStore(kioskStore, selector);
}
