/**
 * What the soak saw, tallied as it happens: items inserted and what the screen was told of each, faults
 * injected and how long the machine took to get over each one, and the core's memory.
 */
import type { FaultKind } from './plan.js';

export interface ToldItem {
  id: string;
  accepted: boolean;
  outcome: string;
  life: number;
}

/** A fault whose end the soak is waiting to see the machine get over. */
interface OpenRecovery {
  kind: string;
  since: number;
  done: () => boolean;
}

export interface RssSample {
  at: number;
  life: number;
  /** Items the soak inserted during this core's life so far. */
  lifeItems: number;
  rss: number;
}

export class Ledger {
  inserted = 0;
  insertsRefusedByMachine = 0;
  /** Inserted while the kiosk had no active session (out of service, or starting): must be handed back. */
  insertedOutsideSession = 0;
  /** Items a kill or an unplug left in the intake that no kiosk handed back: cleared by hand (must be 0). */
  leftInIntake = 0;
  readonly told = new Map<string, ToldItem>();
  readonly injected: Partial<Record<FaultKind | 'bin_full', number>> = {};
  readonly recoveries = new Map<string, number[]>();
  readonly unrecovered = new Map<string, number>();
  readonly rss: RssSample[] = [];
  readonly killTimes: number[] = [];
  /** Items with no fault: insertion → the screen told, and one whole turn of the soak's loop. */
  readonly itemMs: number[] = [];
  readonly cycleMs: number[] = [];
  /** Server fault windows, to name the cause of a duplicate. */
  readonly serverWindows: Array<{ kind: string; from: number; to: number }> = [];
  sessionsStarted = 0;
  sessionsInterruptedByKill = 0;
  pulledBackToldAccepted = 0;
  private open: OpenRecovery[] = [];

  count(kind: FaultKind | 'bin_full'): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  /** Measure from `since` until `done()` holds (checked every 50 ms); after `limitMs`, counted as not recovered. */
  expectRecovery(kind: string, since: number, done: () => boolean): void {
    this.open.push({ kind, since, done });
  }

  /** Called often by the soak's ticker. */
  checkRecoveries(limitMs = 120_000): void {
    const now = Date.now();
    this.open = this.open.filter((r) => {
      if (r.done()) {
        this.recoveries.set(r.kind, [...(this.recoveries.get(r.kind) ?? []), now - r.since]);
        return false;
      }
      if (now - r.since > limitMs) {
        this.unrecovered.set(r.kind, (this.unrecovered.get(r.kind) ?? 0) + 1);
        return false;
      }
      return true;
    });
  }

  get openRecoveries(): number {
    return this.open.length;
  }

  /** Give up on what is still open at the end (counted as not recovered). */
  closeRecoveries(): void {
    for (const r of this.open) this.unrecovered.set(r.kind, (this.unrecovered.get(r.kind) ?? 0) + 1);
    this.open = [];
  }

  recoveryFigures(): Record<string, { n: number; p50Ms: number; maxMs: number; notRecovered: number }> {
    const out: Record<string, { n: number; p50Ms: number; maxMs: number; notRecovered: number }> = {};
    for (const kind of new Set([...this.recoveries.keys(), ...this.unrecovered.keys()])) {
      const xs = [...(this.recoveries.get(kind) ?? [])].sort((a, b) => a - b);
      out[kind] = { n: xs.length, p50Ms: xs.length ? xs[Math.floor((xs.length - 1) / 2)]! : 0, maxMs: xs.at(-1) ?? 0, notRecovered: this.unrecovered.get(kind) ?? 0 };
    }
    return out;
  }

  acceptedIds(): string[] {
    return [...this.told.values()].filter((t) => t.accepted).map((t) => t.id);
  }
}
