import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';
import type { RefusalCode } from '../../../src/contract/errors.js';

export type Language = PayloadOf<'system.language'>['language'];

export interface SystemSlice {
  status: PayloadOf<'system.status'> | null;
  language: Language;
  connected: boolean;
  transport: 'electron' | 'websocket' | null;
  /** The last refused command's reason code (translated by the toast), or null. */
  lastError: RefusalCode | null;
  setStatus(status: PayloadOf<'system.status'>): void;
  setLanguage(language: Language): void;
  setConnected(connected: boolean): void;
  setTransport(transport: 'electron' | 'websocket'): void;
  setError(reason: RefusalCode | null): void;
}

export const createSystemSlice: StateCreator<SystemSlice, [], [], SystemSlice> = (set) => ({
  status: null,
  language: 'id',
  connected: false,
  transport: null,
  lastError: null,
  setStatus: (status) => set({ status }),
  setLanguage: (language) => {
    // Screen readers and hyphenation follow the page's language, not only the text.
    // (Through globalThis: the node tests compile this file too, without the DOM library.)
    const page = (globalThis as { document?: { documentElement: { lang: string } } }).document;
    if (page) page.documentElement.lang = language;
    set({ language });
  },
  setConnected: (connected) => set({ connected }),
  setTransport: (transport) => set({ transport }),
  setError: (lastError) => set({ lastError }),
});
