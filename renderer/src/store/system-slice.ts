import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export type Language = PayloadOf<'system.language'>['language'];

export interface SystemSlice {
  status: PayloadOf<'system.status'> | null;
  language: Language;
  connected: boolean;
  transport: 'electron' | 'websocket' | null;
  lastError: string | null;
  setStatus(status: PayloadOf<'system.status'>): void;
  setLanguage(language: Language): void;
  setConnected(connected: boolean): void;
  setTransport(transport: 'electron' | 'websocket'): void;
  setError(message: string | null): void;
}

export const createSystemSlice: StateCreator<SystemSlice, [], [], SystemSlice> = (set) => ({
  status: null,
  language: 'id',
  connected: false,
  transport: null,
  lastError: null,
  setStatus: (status) => set({ status }),
  setLanguage: (language) => set({ language }),
  setConnected: (connected) => set({ connected }),
  setTransport: (transport) => set({ transport }),
  setError: (lastError) => set({ lastError }),
});
