/**
 * Fakes for item custody tests: a FakeMachine that also answers the controller-side questions custody asks
 * (where is this item, is the intake occupied) and names the item in its drops, as an rvm1 controller does.
 */
import type { Bin, ItemWhereabouts, MachineTracking } from '../../src/domain/ports.js';
import { Custody, type CustodyOptions } from '../../src/session/custody/item-custody.js';
import { MemoryCustodyStore } from '../../src/session/custody/custody-store.js';
import { FakeCredits, FakeMachine } from '../helpers/fake-ports.js';

export class TrackingMachine extends FakeMachine implements MachineTracking {
  tracksItems = true;
  connected = true;
  /** What `whereIs` answers; an item sorted with dropBehaviour 'drop' is recorded as dropped. */
  readonly whereabouts = new Map<string, ItemWhereabouts>();
  /** Thrown by `whereIs` when set (a link that is down). */
  whereFails: Error | null = null;
  intake: boolean | null = false;
  /** Thrown by `sortTo` when set (a NAK, a timeout). */
  sortFails: Error | null = null;
  /** Thrown by `returnItem` when set (a blocked chute, a link that is down). */
  returnFails: Error | null = null;
  /** Called after an acknowledged sort to a bin (e.g. the intake beam clearing as a person takes the item back). */
  afterSort: (() => void) | null = null;
  private readonly linkUpListeners = new Set<() => void>();
  readonly sortedIds: Array<string | undefined> = [];

  override async sortTo(bin: Bin, itemId?: string): Promise<void> {
    this.calls.push(`sort:${bin}`);
    this.sortedIds.push(itemId);
    if (this.sortFails) throw this.sortFails;
    if (bin === 'reject') {
      this.intake = false;
      return;
    }
    if (this.afterSort) setTimeout(this.afterSort, 0);
    if (this.dropBehaviour !== 'drop') return;
    if (itemId) this.whereabouts.set(itemId, { state: 'dropped', bin });
    setTimeout(() => {
      if (this.weightAfterDrop !== null) this.emit('weight', this.weightAfterDrop);
      if (itemId === undefined) this.emit('itemDropped', bin);
      else this.emit('itemDropped', bin, itemId);
    }, 1);
  }

  override async returnItem(): Promise<void> {
    this.calls.push('return');
    if (this.returnFails) throw this.returnFails;
    this.intake = false;
  }

  async whereIs(itemId: string): Promise<ItemWhereabouts | null> {
    if (this.whereFails) throw this.whereFails;
    if (!this.tracksItems) return null;
    return this.whereabouts.get(itemId) ?? { state: 'unknown' };
  }

  async intakeOccupied(): Promise<boolean | null> {
    return this.intake;
  }

  onLinkUp(listener: () => void): () => void {
    this.linkUpListeners.add(listener);
    return () => this.linkUpListeners.delete(listener);
  }

  linkCameUp(): void {
    for (const listener of this.linkUpListeners) listener();
  }
}

export function makeCustody(overrides: Partial<CustodyOptions> = {}) {
  const machine = (overrides.machine as TrackingMachine | undefined) ?? new TrackingMachine();
  const store = (overrides.store as MemoryCustodyStore | undefined) ?? new MemoryCustodyStore();
  const credits = (overrides.credits as FakeCredits | undefined) ?? new FakeCredits();
  const unconfirmed: string[] = [];
  const custody = new Custody({ store, machine, tracking: machine, credits, onUnconfirmed: (d) => unconfirmed.push(d), recheckMs: 60_000, ...overrides });
  return { custody, machine, store, credits, unconfirmed };
}
