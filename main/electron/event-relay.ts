/**
 * Core events on their way to the renderer. Until the page says it is ready (its preload has registered the
 * listener), events are held — only the latest payload per event, in order of arrival, because a UI needs the
 * current state, not the history. On ready the page gets the core's snapshot (state from before anything was
 * held), then the held events in order, then live events. A reload or renderer crash starts holding again.
 */
export interface RelayedEvent {
  name: string;
  payload: unknown;
}

export class EventRelay {
  private ready = false;
  private readonly held = new Map<string, unknown>();

  constructor(
    private readonly send: (event: RelayedEvent) => void,
    private readonly snapshot: () => RelayedEvent[],
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  push(name: string, payload: unknown): void {
    if (this.ready) {
      this.send({ name, payload });
      return;
    }
    this.held.delete(name); // re-insert so the map keeps the order of each event's latest arrival
    this.held.set(name, payload);
  }

  markReady(): void {
    for (const event of this.snapshot()) {
      if (!this.held.has(event.name)) this.send(event);
    }
    for (const [name, payload] of this.held) this.send({ name, payload });
    this.held.clear();
    this.ready = true;
  }

  /** The page is going away (reload, crash): hold events until its successor says ready. */
  reset(): void {
    this.ready = false;
    this.held.clear();
  }
}
