/**
 * Item custody on its own (in-memory journal, fake controller, fake credit store): what turns a drop into a
 * credit, what never does, and how a restart or a link-up settles what was left open.
 */
import { describe, expect, it } from 'vitest';
import type { CustodyRecord } from '../../src/domain/ports.js';
import { MemoryCustodyStore } from '../../src/session/custody/custody-store.js';
import { Custody } from '../../src/session/custody/item-custody.js';
import { eventually } from '../helpers/eventually.js';
import { FakeCredits } from '../helpers/fake-ports.js';
import { makeCustody, TrackingMachine } from './custody-fakes.js';

function record(n: number, overrides: Partial<CustodyRecord> = {}): CustodyRecord {
  return {
    itemId: `item-${n}`,
    sessionId: 'session-1',
    material: 'pet',
    bin: 'plastic',
    points: 10,
    weightGrams: 24.2,
    confidence: 0.91,
    at: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
    ...overrides,
  };
}

/** The same journal, a fresh custody: what a restarted kiosk sees. */
function restart(store: MemoryCustodyStore, machine: TrackingMachine, credits = new FakeCredits()) {
  const unconfirmed: string[] = [];
  const custody = new Custody({ store, machine, tracking: machine, credits, onUnconfirmed: (d) => unconfirmed.push(d), recheckMs: 60_000 });
  return { custody, credits, unconfirmed };
}

describe('item custody: live drops', () => {
  it('credits an opened item when the DROP names it, with the item id as the credit id, once however often it repeats', async () => {
    const { custody, machine, store, credits } = makeCustody();
    await custody.open(record(1), Buffer.from('jpeg'));
    machine.emit('itemDropped', 'plastic', 'item-1');
    machine.emit('itemDropped', 'plastic', 'item-1');
    await expect(custody.settle('item-1', 1_000)).resolves.toEqual({ kind: 'credited' });
    machine.emit('itemDropped', 'plastic', 'item-1');
    expect(credits.stored).toHaveLength(1);
    expect(credits.stored[0]).toMatchObject({ id: 'item-1', sessionId: 'session-1', material: 'pet', points: 10, weightGrams: 24.2, confidence: 0.91, image: Buffer.from('jpeg') });
    expect(store.closedOutcome('item-1')).toBe('credited');
    expect(store.openRecords()).toEqual([]);
  });

  it("carries a guest session's claim code from the journaled record to the credit", async () => {
    const { custody, machine, credits } = makeCustody();
    await custody.open(record(4, { claimCode: 'K7MX3QPA' }));
    machine.emit('itemDropped', 'plastic', 'item-4');
    await expect(custody.settle('item-4', 1_000)).resolves.toEqual({ kind: 'credited' });
    expect(credits.stored[0]?.claimCode).toBe('K7MX3QPA');
  });

  it('journals the open record before anything moves', async () => {
    const { custody, store } = makeCustody();
    await custody.open(record(2));
    expect(store.lines).toEqual([{ t: 'open', ...record(2) }]);
  });

  it('credits nothing for a DROP naming no item, an item not in custody, a settled item, or another bin', async () => {
    const { custody, machine, credits } = makeCustody();
    await custody.open(record(1));
    machine.emit('itemDropped', 'plastic'); // names nothing (a forged or pre-protocol-2 DROP)
    machine.emit('itemDropped', 'plastic', 'forged-9'); // not in custody
    machine.emit('itemDropped', 'glass', 'item-1'); // the wrong bin
    expect(credits.stored).toEqual([]);
    machine.emit('itemDropped', 'plastic', 'item-1');
    await expect(custody.settle('item-1', 1_000)).resolves.toEqual({ kind: 'credited' });
    // A replay of the credited item's DROP, however late: confirmed by the driver, ignored here.
    await custody.open(record(2));
    machine.emit('itemDropped', 'plastic', 'item-1');
    machine.whereabouts.set('item-2', { state: 'unknown' });
    await expect(custody.settle('item-2', 20)).resolves.toMatchObject({ kind: 'not_dropped' });
    expect(credits.stored.map((c) => c.id)).toEqual(['item-1']);
  });

  it('asks the controller when no drop comes: unknown closes the record without a credit', async () => {
    const { custody, store, credits } = makeCustody();
    await custody.open(record(3));
    await expect(custody.settle('item-3', 20)).resolves.toMatchObject({ kind: 'not_dropped' });
    expect(store.closedOutcome('item-3')).toBe('not_dropped');
    expect(credits.stored).toEqual([]);
  });

  it('credits from the controller\'s answer when the DROP itself was lost', async () => {
    const { custody, machine, credits } = makeCustody();
    await custody.open(record(4));
    machine.whereabouts.set('item-4', { state: 'dropped', bin: 'plastic' });
    await expect(custody.settle('item-4', 20)).resolves.toEqual({ kind: 'credited' });
    expect(credits.stored.map((c) => c.id)).toEqual(['item-4']);
  });

  it('does not credit an item the controller says went into another bin, and tells the operator', async () => {
    const { custody, machine, store, credits, unconfirmed } = makeCustody();
    await custody.open(record(5, { material: 'glass', bin: 'glass' }));
    machine.whereabouts.set('item-5', { state: 'dropped', bin: 'can' });
    await expect(custody.settle('item-5', 20)).resolves.toMatchObject({ kind: 'wrong_bin', bin: 'can' });
    expect(store.closedOutcome('item-5')).toBe('wrong_bin');
    expect(credits.stored).toEqual([]);
    expect(unconfirmed).toEqual([expect.stringMatching(/item-5 \(glass → glass.*went into the can bin instead; NOT credited/)]);
  });

  it('asks the controller at once when a live item drops into another bin, instead of waiting out the drop timeout', async () => {
    const wrongBin: string[] = [];
    const { custody, machine, credits } = makeCustody({ onWrongBin: (d) => wrongBin.push(d) });
    await custody.open(record(7, { material: 'glass', bin: 'glass' }));
    const settled = custody.settle('item-7', 600_000); // far past the test's own timeout: only the early ask can end it
    machine.whereabouts.set('item-7', { state: 'dropped', bin: 'plastic' });
    machine.emit('itemDropped', 'plastic', 'item-7');
    await expect(settled).resolves.toMatchObject({ kind: 'wrong_bin', bin: 'plastic' });
    expect(credits.stored).toEqual([]);
    expect(wrongBin).toEqual([expect.stringMatching(/item-7 .*went into the plastic bin instead; NOT credited/)]);
  });

  it('keeps an item open while it is in transit or the link is down, and credits it once its drop is known', async () => {
    const { custody, machine, store, credits } = makeCustody();
    await custody.open(record(6));
    machine.whereabouts.set('item-6', { state: 'transit' });
    await expect(custody.settle('item-6', 20)).resolves.toMatchObject({ kind: 'unconfirmed' });
    await custody.open(record(7));
    machine.whereFails = new Error('controller link is reconnecting');
    await expect(custody.settle('item-7', 20)).resolves.toMatchObject({ kind: 'unconfirmed', detail: expect.stringMatching(/could not be asked/) });
    expect(store.openRecords().map((r) => r.itemId)).toEqual(['item-6', 'item-7']);
    // The late DROP of the moving item credits it; the link comes back and the other is reconciled.
    machine.emit('itemDropped', 'plastic', 'item-6');
    await eventually(() => credits.stored.length === 1, { what: 'the late drop credited' });
    machine.whereFails = null;
    machine.whereabouts.set('item-7', { state: 'dropped', bin: 'plastic' });
    await expect(custody.reconcile()).resolves.toEqual({ checked: 1, credited: 1, closed: 0, open: 0 });
    expect(credits.stored.map((c) => c.id)).toEqual(['item-6', 'item-7']);
    expect(store.openRecords()).toEqual([]);
  });

  it('keeps a dropped item open when the credit cannot be written, and credits it at the next reconciliation', async () => {
    const { custody, machine, store, credits } = makeCustody();
    credits.fail = true;
    await custody.open(record(8));
    machine.emit('itemDropped', 'plastic', 'item-8');
    await expect(custody.settle('item-8', 1_000)).resolves.toMatchObject({ kind: 'storage_error', detail: 'disk full' });
    expect(store.openRecords().map((r) => r.itemId)).toEqual(['item-8']);
    credits.fail = false;
    machine.whereabouts.set('item-8', { state: 'dropped', bin: 'plastic' });
    await expect(custody.reconcile()).resolves.toMatchObject({ credited: 1 });
    expect(credits.stored.map((c) => c.id)).toEqual(['item-8']);
  });

  it('leaves the pipeline\'s own item alone when reconciling (its SORT may not have reached the controller yet)', async () => {
    const { custody, store } = makeCustody();
    await custody.open(record(9)); // opened, sortTo not called yet: the controller does not know it
    await expect(custody.reconcile()).resolves.toEqual({ checked: 0, credited: 0, closed: 0, open: 0 });
    expect(store.openRecords().map((r) => r.itemId)).toEqual(['item-9']);
  });
});

describe('item custody: after a restart', () => {
  async function leftOpen(...records: CustodyRecord[]): Promise<MemoryCustodyStore> {
    const store = new MemoryCustodyStore();
    for (const r of records) await store.open(r);
    return store;
  }

  it('credits the items the controller dropped into their bins, closes the unknown ones, waits for the moving one', async () => {
    const store = await leftOpen(record(1), record(2), record(3, { material: 'can', bin: 'can' }));
    const machine = new TrackingMachine();
    machine.whereabouts.set('item-1', { state: 'dropped', bin: 'plastic' });
    machine.whereabouts.set('item-3', { state: 'transit' });
    const { custody, credits } = restart(store, machine);
    await expect(custody.reconcile()).resolves.toEqual({ checked: 3, credited: 1, closed: 1, open: 1 });
    expect(credits.stored).toEqual([expect.objectContaining({ id: 'item-1', material: 'pet', points: 10, weightGrams: 24.2 })]);
    expect(credits.stored[0]!.image).toBeUndefined();
    expect(store.closedOutcome('item-2')).toBe('not_dropped');
    expect(custody.hasItemInTransit).toBe(true);
    // Its DROP, repeated by the controller until confirmed, credits the moving one.
    machine.emit('itemDropped', 'can', 'item-3');
    await eventually(() => credits.stored.length === 2, { what: 'the moving item credited' });
    expect(store.openRecords()).toEqual([]);
    expect(custody.hasItemInTransit).toBe(false);
  });

  it('does not credit twice when the drop and the reconciliation both confirm an item', async () => {
    const store = await leftOpen(record(1));
    const machine = new TrackingMachine();
    machine.whereabouts.set('item-1', { state: 'dropped', bin: 'plastic' });
    const { custody, credits } = restart(store, machine);
    machine.emit('itemDropped', 'plastic', 'item-1');
    await custody.reconcile();
    machine.emit('itemDropped', 'plastic', 'item-1');
    await custody.reconcile();
    expect(credits.stored.map((c) => c.id)).toEqual(['item-1']);
  });

  it('with a controller that cannot name items (legacy), credits nothing it cannot confirm and names the item for the operator', async () => {
    const store = await leftOpen(record(4, { material: 'glass', bin: 'glass', points: 5 }));
    const machine = new TrackingMachine();
    machine.tracksItems = false;
    const { custody, credits, unconfirmed } = restart(store, machine);
    await expect(custody.reconcile()).resolves.toMatchObject({ closed: 1 });
    expect(credits.stored).toEqual([]);
    expect(store.closedOutcome('item-4')).toBe('unconfirmed');
    expect(unconfirmed).toEqual([expect.stringMatching(/item item-4 \(glass → glass, 5 points, session session-1.*NOT credited — check the glass bin/)]);
  });
});
