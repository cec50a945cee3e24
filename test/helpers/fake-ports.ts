/** In-memory fakes of the session's ports, for unit tests of the flow (the real parts have their own tests). */
import type { Bin, Classification, CreditRecord, CreditStore, ItemClassifier, MachineEvents, MachinePort, SessionServer, WeightReading } from '../../src/domain/ports.js';

export class FakeMachine implements MachinePort {
  private readonly listeners: { [E in keyof MachineEvents]: Set<MachineEvents[E]> } = {
    itemPresent: new Set(),
    itemDropped: new Set(),
    weight: new Set(),
    itemRemoved: new Set(),
  };
  readonly calls: string[] = [];
  /** What the drop sensor reports after sortTo; null = the item never drops (pulled back). */
  dropBehaviour: 'drop' | 'none' = 'drop';
  /**
   * What the load cell reads once the item has left the platform, reported just before the drop (as the
   * controller does: the empty platform's reading, then DROP). null = no reading after the sort.
   */
  weightAfterDrop: number | null = null;

  on<E extends keyof MachineEvents>(event: E, listener: MachineEvents[E]): () => void {
    (this.listeners[event] as Set<MachineEvents[E]>).add(listener);
    return () => (this.listeners[event] as Set<MachineEvents[E]>).delete(listener);
  }
  listenerCount(event: keyof MachineEvents): number {
    return this.listeners[event].size;
  }
  emit<E extends keyof MachineEvents>(event: E, ...args: Parameters<MachineEvents[E]>): void {
    for (const l of this.listeners[event]) (l as (...a: unknown[]) => void)(...args);
  }
  async sortTo(bin: Bin): Promise<void> {
    this.calls.push(`sort:${bin}`);
    if (this.dropBehaviour === 'drop') {
      setTimeout(() => {
        if (this.weightAfterDrop !== null) this.emit('weight', this.weightAfterDrop);
        this.emit('itemDropped', bin);
      }, 1);
    }
  }
  async returnItem(): Promise<void> {
    this.calls.push('return');
  }
  async setDoorLocked(locked: boolean): Promise<void> {
    this.calls.push(`door:${locked}`);
  }
}

export class FakeClassifier implements ItemClassifier {
  next: Classification = { accepted: true, material: 'pet', confidence: 0.9, detections: [] };
  weights: Array<number | undefined> = [];
  async classify(weight?: WeightReading): Promise<Classification> {
    this.weights.push((await weight) ?? undefined);
    return this.next;
  }
}

export class FakeCredits implements CreditStore {
  readonly stored: CreditRecord[] = [];
  fail = false;
  async record(credit: CreditRecord): Promise<void> {
    if (this.fail) throw new Error('disk full');
    this.stored.push(credit);
  }
}

export class FakeServer implements SessionServer {
  private readonly authorized = new Set<(u: { sessionId: string; userName: string }) => void>();
  tokens = 0;
  async startGuest() {
    return { sessionId: 'guest_1', displayName: 'Tamu', fromServer: true };
  }
  async qrToken() {
    this.tokens++;
    return { content: `myrvm://session/t${this.tokens}`, expiresAt: Date.now() + 300_000 };
  }
  onAuthorized(listener: (u: { sessionId: string; userName: string }) => void) {
    this.authorized.add(listener);
    return () => this.authorized.delete(listener);
  }
  authorize(userName: string) {
    for (const l of this.authorized) l({ sessionId: 's1', userName });
  }
}
