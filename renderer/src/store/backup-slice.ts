import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

/** The backup/restore progress (`backup.state`), kept in the store so the bar moves while the tab is closed and reopened. */
export interface BackupSlice {
  backup: PayloadOf<'backup.state'> | null;
  setBackup(backup: PayloadOf<'backup.state'>): void;
}

export const createBackupSlice: StateCreator<BackupSlice, [], [], BackupSlice> = (set) => ({
  backup: null,
  setBackup: (backup) => set({ backup }),
});
