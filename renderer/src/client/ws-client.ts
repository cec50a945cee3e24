/**
 * KioskClient over the browser host's WebSocket. Replies are matched by id; a call that gets no reply in
 * time fails instead of hanging the UI. The socket reconnects with backoff and says `ready` again each time,
 * so the core replays the latest state after a reconnect.
 */
import type { KioskClient, CommandName, EventName, PayloadOf, ReplyOf, RequestOf, WireMessage } from '../../../src/contract/index.js';
import { refusalMessage } from '../../../src/contract/errors.js';
import { Backoff, clampTimerMs } from '../../../src/core/backoff.js';

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void; timer: ReturnType<typeof setTimeout> };
export type ConnectionListener = (connected: boolean) => void;

export class WsKioskClient implements KioskClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private wantReady = false;
  /** 250 ms doubling to 5 s; no jitter: one renderer and its own core, no fleet to spread. */
  private readonly reconnects = new Backoff({ firstMs: 250, factor: 2, maxMs: 5_000, jitter: false });
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly callTimeoutMs = 15_000,
  ) {
    this.connect();
  }

  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name}: no reply from the kiosk core`));
      }, clampTimerMs(this.callTimeoutMs));
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.send({ type: 'command', id, name, payload: request });
    });
  }

  on<N extends EventName>(name: N, listener: (payload: PayloadOf<N>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.listeners.set(name, set);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  ready(): void {
    this.wantReady = true;
    this.send({ type: 'ready' });
  }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private send(message: WireMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
    // Commands sent while disconnected time out through their timer: the UI shows an error, not a hang.
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.reconnects.reset();
      for (const l of this.connectionListeners) l(true);
      if (this.wantReady) socket.send(JSON.stringify({ type: 'ready' }));
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = () => {
      for (const l of this.connectionListeners) l(false);
      if (this.closed) return;
      setTimeout(() => this.connect(), this.reconnects.next());
    };
  }

  private receive(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      console.warn('kiosk: ignored a non-JSON frame');
      return;
    }
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.name) ?? []) listener(message.payload);
    } else if (message.type === 'reply' && typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(refusalMessage(message.error)));
    }
  }
}
