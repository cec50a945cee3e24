/**
 * The soak's own arithmetic (bench/soak/plan.ts, bench/soak/report.ts): a seeded plan is repeatable and puts
 * every fault where it says, and the report counts a lost credit, a duplicate (with its cause) and the memory
 * trend the way docs/reliability.md describes. The soak itself runs under `npm run soak`, not here.
 */
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../bench/soak/ledger.js';
import { FAULT_KINDS, makePlan } from '../../bench/soak/plan.js';
import { buildReport, rssTrend } from '../../bench/soak/report.js';
import type { ServerSimulator } from '../../src/server/simulator/server-simulator.js';

function fakeServer(arrivals: Array<{ clientId: string; at: number }>): ServerSimulator {
  const deposits = arrivals.map((a) => ({ ...a }));
  return { state: { deposits, offlineItems: [], receivedClientIds: () => deposits.map((d) => d.clientId) } } as unknown as ServerSimulator;
}

describe('soak plan', () => {
  it('is the same for the same seed, and different for another', () => {
    const a = makePlan({ seed: 42, quick: false });
    const b = makePlan({ seed: 42, quick: false });
    const c = makePlan({ seed: 43, quick: false });
    expect([...a.faults.entries()]).toEqual([...b.faults.entries()]);
    expect([...a.faults.entries()]).not.toEqual([...c.faults.entries()]);
  });

  it('places every planned fault, one per item, kills only in the kill phase', () => {
    const plan = makePlan({ seed: 7, quick: false });
    const placed = [...plan.faults.values()];
    expect(placed.every((kinds) => kinds.length === 1)).toBe(true);
    for (const kind of FAULT_KINDS) expect(placed.flat().filter((k) => k === kind)).toHaveLength(plan.counts[kind]);
    expect(plan.counts.kill).toBeGreaterThanOrEqual(50);
    expect(plan.counts.unplug).toBeGreaterThanOrEqual(100);
    expect(plan.items).toBeGreaterThanOrEqual(2_000);
    for (const [at, kinds] of plan.faults) if (kinds.includes('kill')) expect(at).toBeLessThan(plan.killPhaseItems);
  });
});

describe('soak report', () => {
  it('counts a told-accepted item missing at the server as lost, and an id received twice as duplicated', () => {
    const ledger = new Ledger();
    for (const id of ['a', 'b', 'c']) ledger.told.set(id, { id, accepted: true, outcome: 'accepted', life: 1 });
    ledger.told.set('r', { id: 'r', accepted: false, outcome: 'not_a_container', life: 1 });
    ledger.killTimes.push(1_500);
    const server = fakeServer([
      { clientId: 'a', at: 1_000 },
      { clientId: 'b', at: 1_100 },
      { clientId: 'a', at: 2_000 }, // sent again after the kill at 1 500
    ]);
    const report = buildReport({ plan: makePlan({ seed: 1, quick: true }), ledger, server, droppedIds: ['a', 'b', 'c'], handedBack: 1, seconds: 1, diskFaultSkipped: false });
    const figures = report.figures as Record<string, unknown>;
    expect(report.lost).toBe(1);
    expect(report.lostIds).toEqual(['c']);
    expect(report.duplicated).toBe(1);
    expect(figures.duplicateCauses).toEqual({ 'kill -9 between the copies': 1 });
    expect(figures.droppedButNotDelivered).toBe(1);
    expect(report.met).toBe(false);
  });

  it('reads the memory trend of the longest life from its item 500 to its end', () => {
    const samples = [
      ...[0, 100, 200].map((n) => ({ at: n, life: 1, lifeItems: n / 10, rss: 100 })),
      ...Array.from({ length: 40 }, (_, k) => ({ at: 1_000 + k, life: 2, lifeItems: k * 50, rss: (k * 50 >= 500 ? 200 : 150) + (k >= 35 ? 40 : 0) })),
    ];
    const trend = rssTrend(samples.map((s) => ({ ...s, rss: s.rss * 1024 * 1024 })));
    expect(trend).toMatchObject({ life: 2, from: 500, atFromMiB: 200, atEndMiB: 240, growth: 1.2 });
  });
});
