/**
 * The soak's plan, decided up front from a seed: how many items, which item each fault lands on, and the
 * random draws along the way (one seeded generator, so a run can be repeated with `--seed`).
 */
import { seededRandom } from '../../test/helpers/seeded-random.js';
export type FaultKind = 'kill' | 'unplug' | 'outage' | 'storm_429' | 'storm_5xx' | 'malformed' | 'realtime_drop' | 'pulled_back' | 'disk_full';
export const FAULT_KINDS: FaultKind[] = ['kill', 'unplug', 'outage', 'storm_429', 'storm_5xx', 'malformed', 'realtime_drop', 'pulled_back', 'disk_full'];

export interface SoakPlan {
  seed: number;
  /** Items the controller's belt carries at once (1 = protocol 2, one at a time). */
  belt: number;
  quick: boolean;
  items: number;
  /** Kills land before this item, so the rest of the run is one long life whose memory trend can be read. */
  killPhaseItems: number;
  /** Item index → the faults that start with that item. */
  faults: Map<number, FaultKind[]>;
  counts: Record<FaultKind, number>;
  random: () => number;
}

const FULL: Record<FaultKind, number> = { kill: 52, unplug: 110, outage: 8, storm_429: 8, storm_5xx: 8, malformed: 8, realtime_drop: 12, pulled_back: 24, disk_full: 4 };
const QUICK: Record<FaultKind, number> = { kill: 4, unplug: 6, outage: 1, storm_429: 1, storm_5xx: 1, malformed: 1, realtime_drop: 2, pulled_back: 3, disk_full: 1 };

export function makePlan(options: { seed: number; quick: boolean; items?: number; belt?: number }): SoakPlan {
  const random = seededRandom(options.seed);
  const items = options.items ?? (options.quick ? 110 : 2_000);
  const counts = options.quick ? QUICK : FULL;
  const killPhaseItems = Math.floor(items * (options.quick ? 0.45 : 0.3));
  const faults = new Map<number, FaultKind[]>();
  const taken = new Set<number>();
  const place = (kind: FaultKind, from: number, to: number) => {
    for (let tries = 0; tries < 1_000; tries++) {
      const at = from + Math.floor(random() * (to - from));
      // One fault per item, so each one's effect (and recovery) is its own.
      if (taken.has(at)) continue;
      taken.add(at);
      faults.set(at, [...(faults.get(at) ?? []), kind]);
      return;
    }
  };
  for (let n = 0; n < counts.kill; n++) place('kill', 3, killPhaseItems);
  // The rest stop well before the end, so the final drain does not wait out a fault window.
  for (const kind of FAULT_KINDS.filter((k) => k !== 'kill')) for (let n = 0; n < counts[kind]; n++) place(kind, 3, items - 15);
  return { seed: options.seed, belt: options.belt ?? 3, quick: options.quick, items, killPhaseItems, faults, counts, random };
}

export function parseArgs(argv: string[]): { quick: boolean; seed: number; items?: number; belt: number } {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const seed = Number(value('seed') ?? process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const items = value('items') ?? process.env.SOAK_ITEMS;
  // Places on the controller's belt: 3 (items pipelined, protocol 3) as the product's simulator; 1 = one at a time.
  const belt = Number(value('belt') ?? 3);
  return { quick: argv.includes('--quick'), seed, belt, ...(items ? { items: Number(items) } : {}) };
}
