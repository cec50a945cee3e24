/**
 * Several items in transit at once, over a real serial pty against the controller simulator in belt mode
 * (protocol 3): the next item is weighed, photographed and sorted while the previous one rides to its bin.
 * Each item keeps its identity through custody (its own id, its own bin and weight), every accepted item
 * is credited exactly once, and a session finished while an item still rides waits for its result.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ControllerEvent } from '../../src/hardware/protocol/index.js';
import type { ItemKind } from '../../src/hardware/simulator/sim-settings.js';
import { eventually } from '../helpers/eventually.js';
import { makeTempDir } from '../helpers/outbox.js';
import { describeWithSocat } from '../helpers/pty.js';
import { startControllerRig, startMiniKiosk, type ControllerRig, type MiniKiosk } from './custody-rig.js';

let rig: ControllerRig;
let kiosk: MiniKiosk | null = null;
let dataDir: string;
let removeDir: () => Promise<void>;
let events: ControllerEvent[];

beforeEach(async () => {
  ({ dir: dataDir, cleanup: removeDir } = await makeTempDir('rvm-pipelined-'));
  // A ride long enough that the next item is sorted before the previous one drops.
  rig = await startControllerRig({ settleMs: 30, transferMs: 40, conveyorMs: 600 }, { belt: 3 });
  events = [];
  rig.sim.onEvent((event) => events.push(event));
});
afterEach(async () => {
  await kiosk?.stop().catch(() => undefined);
  kiosk = null;
  await rig?.stop();
  await removeDir();
});

/** Insert the next item as soon as the intake is free, like a recycler feeding a bag of empties. */
async function feed(kinds: ItemKind[]): Promise<void> {
  for (const kind of kinds) {
    await eventually(() => rig.sim.model.intake === null, { what: `a free intake for the ${kind}`, timeoutMs: 10_000 });
    rig.sim.model.insertItem(kind);
  }
}

describeWithSocat('pipelined items (belt mode, protocol 3)', () => {
  it('sorts the next item while earlier ones ride, and credits each accepted item exactly once with its own weight and bin', async () => {
    kiosk = await startMiniKiosk({ dataDir, ptyPath: rig.pair.hostPath, dropTimeoutMs: 5_000 });
    const k = kiosk;
    const kinds: ItemKind[] = ['pet', 'can', 'glass', 'pet', 'can', 'other', 'glass', 'pet', 'can', 'pet'];
    await feed(kinds);
    await eventually(() => k.flow.current.items.length === kinds.length && k.flow.current.phase === 'active', { what: 'every item ended', timeoutMs: 20_000 });

    // Overlap happened: an item came in (ITEM 1) while an earlier one had left the intake (ITEM 0) and not
    // dropped yet. A hand-back's ITEM 0 and its DROP come together, so only a ride keeps `riding` up.
    let riding = 0;
    let overlapped = false;
    for (const e of events) {
      if (e.type === 'item' && e.present && riding > 0) overlapped = true;
      if (e.type === 'item' && !e.present) riding++;
      if (e.type === 'drop') riding = Math.max(0, riding - 1);
    }
    expect(overlapped).toBe(true);
    const namedDrops = events.flatMap((e) => (e.type === 'drop' && e.item !== undefined ? [e] : []));

    const items = k.flow.current.items;
    const expected = kinds.map((kind) => (kind === 'other' ? 'not_a_container' : 'accepted'));
    expect(items.map((i) => i.outcome).sort()).toEqual([...expected].sort());
    const accepted = items.filter((i) => i.accepted);
    // One credit per accepted item, by its own id; the ids the DROPs named are exactly those.
    await eventually(() => k.creditIds().length === accepted.length, { what: 'every credit in the outbox' });
    expect(new Set(k.creditIds())).toEqual(new Set(accepted.map((i) => i.id)));
    expect(new Set(namedDrops.map((d) => d.item))).toEqual(new Set(accepted.map((i) => i.id)));
    const bins: Record<string, string> = { pet: 'plastic', can: 'can', glass: 'glass' };
    for (const drop of namedDrops) expect(drop.bin).toBe(bins[accepted.find((i) => i.id === drop.item)!.material]);
    const records = k.outbox.preview({ limit: 100 }).records;
    for (const record of records) {
      const grams = record.weightGrams ?? -1;
      if (record.material === 'glass') expect(grams).toBeGreaterThan(180);
      else expect(grams).toBeLessThan(45);
    }
  }, 60_000);

  it('a session finished while an item still rides ends only once that item is credited, with it in the total', async () => {
    kiosk = await startMiniKiosk({ dataDir, ptyPath: rig.pair.hostPath, dropTimeoutMs: 5_000 });
    const k = kiosk;
    rig.sim.model.insertItem('pet');
    // The intake is clear (the item rides) and the session is back in active: the recycler taps Finish.
    await eventually(() => rig.sim.model.intake === null && k.flow.current.phase === 'active' && k.flow.current.items.length === 0, { what: 'the item riding, session active' });
    await k.ctx.core.call('session.finish', {});
    expect(k.flow.current.phase).toBe('active');
    await eventually(() => k.flow.current.phase === 'finished', { what: 'the session finished after the drop', timeoutMs: 5_000 });
    expect(k.flow.current.items).toHaveLength(1);
    expect(k.flow.current.items[0]).toMatchObject({ outcome: 'accepted', material: 'pet' });
    expect(k.flow.current.totalPoints).toBeGreaterThan(0);
  }, 30_000);
});
