/** What a UI holds: one object, whatever the transport (Electron preload or WebSocket). */
import type { CommandName, EventName, PayloadOf, ReplyOf, RequestOf } from './index.js';

export interface KioskClient {
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ReplyOf<N>>;
  /** Subscribe to one event; returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: PayloadOf<N>) => void): () => void;
  /** Tell the core the UI is ready for events (it replays the latest state of each). */
  ready(): void;
}
