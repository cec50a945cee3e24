import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export type SessionView = PayloadOf<'session.state'>;
export type SessionItem = SessionView['items'][number];

export interface SessionSlice {
  session: SessionView;
  setSession(session: SessionView): void;
}

export const idleSession: SessionView = {
  phase: 'idle',
  sessionId: null,
  mode: null,
  userName: null,
  items: [],
  totalPoints: 0,
  deadline: null,
  qr: null,
  claimCode: null,
  claimUrl: null,
  donated: false,
  promptAt: null,
  balance: null,
  serverSessionId: null,
};

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set) => ({
  session: idleSession,
  setSession: (session) => set({ session }),
});
