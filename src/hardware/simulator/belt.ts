/**
 * The conveyor of a machine that carries several items at once (protocol 3, "belt" mode): an item pushed
 * off the intake rides `rideMs` to the diverter, which sends it into the bin chosen when it was sorted.
 * While one item rides, the next can be weighed, photographed and sorted — that is what lets a machine keep
 * up with 60+ items a minute when one ride takes 1.5 s. A jam or an overcurrent halts the belt: the items
 * stay where they are (a WHERE says `transit`) and ride the whole way again once the fault clears.
 */
import type { Bin } from '../../domain/ports.js';

export interface BeltLoad<T> {
  item: T;
  /** Where the diverter sends it (decided at the sort; a worn gate may already have made it the wrong one). */
  bin: Bin;
}

export class Belt<T> {
  private readonly riding = new Map<BeltLoad<T>, NodeJS.Timeout | null>();
  private halted = false;

  constructor(
    readonly capacity: number,
    private readonly rideMs: number,
    private readonly arrive: (load: BeltLoad<T>) => void,
  ) {}

  get size(): number {
    return this.riding.size;
  }

  get full(): boolean {
    return this.riding.size >= this.capacity;
  }

  get moving(): boolean {
    return this.riding.size > 0 && !this.halted;
  }

  /** The items on the belt now, oldest first. */
  items(): T[] {
    return [...this.riding.keys()].map((load) => load.item);
  }

  load(item: T, bin: Bin): void {
    const load = { item, bin };
    this.riding.set(load, this.halted ? null : this.ride(load));
  }

  halt(): void {
    this.halted = true;
    for (const [load, timer] of this.riding) {
      if (timer) clearTimeout(timer);
      this.riding.set(load, null);
    }
  }

  resume(): void {
    if (!this.halted) return;
    this.halted = false;
    for (const load of this.riding.keys()) this.riding.set(load, this.ride(load));
  }

  stop(): void {
    this.halt();
    this.riding.clear();
  }

  private ride(load: BeltLoad<T>): NodeJS.Timeout {
    return setTimeout(() => {
      this.riding.delete(load);
      this.arrive(load);
    }, this.rideMs);
  }
}
