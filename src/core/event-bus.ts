/**
 * The typed in-process bus that features use to tell each other things (bin levels, server commands, the
 * session's phase…). It is not the UI contract: nothing here is validated or crosses to a screen, so a hot
 * path pays one Map lookup and a loop. Event names and payloads are declared once, as an interface
 * (`src/domain/events.ts`), and TypeScript checks every emit and every listener against it.
 *
 * A listener cannot throw into the emitter: its error is logged (once per event name and second, so a
 * broken listener on a busy event does not flood the log) and the other listeners still run.
 */
import { createLogger } from '../log/logger.js';

const log = createLogger('bus');
const REPORT_EVERY_MS = 1_000;

export type BusListener<P> = (payload: P) => void;

/** What a feature that only publishes needs. */
export interface BusPublisher<E> {
  emit<K extends keyof E & string>(name: K, payload: E[K]): void;
}

/** What a feature that only listens needs. */
export interface BusSubscriber<E> {
  on<K extends keyof E & string>(name: K, listener: BusListener<E[K]>): () => void;
}

export class EventBus<E> implements BusPublisher<E>, BusSubscriber<E> {
  private readonly listeners = new Map<keyof E, Set<BusListener<never>>>();
  private readonly reportedAt = new Map<keyof E, number>();

  on<K extends keyof E & string>(name: K, listener: BusListener<E[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as BusListener<never>);
    return () => set.delete(listener as BusListener<never>);
  }

  /** Like `on`, for one delivery. */
  once<K extends keyof E & string>(name: K, listener: BusListener<E[K]>): () => void {
    const off = this.on(name, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  emit<K extends keyof E & string>(name: K, payload: E[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set] as Array<BusListener<E[K]>>) {
      try {
        listener(payload);
      } catch (err) {
        this.report(name, err);
      }
    }
  }

  /** How many listeners an event has (tests check that nothing is left subscribed). */
  listenerCount(name: keyof E & string): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }

  private report(name: keyof E & string, err: unknown): void {
    const now = Date.now();
    const last = this.reportedAt.get(name);
    if (last !== undefined && now - last < REPORT_EVERY_MS) return;
    this.reportedAt.set(name, now);
    log.error('bus listener failed', { event: name, error: err instanceof Error ? err.message : String(err) });
  }
}
