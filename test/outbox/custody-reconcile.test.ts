/**
 * Custody and the outbox together after a crash between "credit written" and "custody record closed": the
 * restarted kiosk confirms the item again (WHERE says dropped, its DROP repeats), and the server — which does
 * not de-duplicate — still gets it once.
 */
import { describe, expect, it } from 'vitest';
import type { CustodyRecord } from '../../src/domain/ports.js';
import { outboxConfig } from '../../src/outbox/config.js';
import { MemoryCustodyStore } from '../../src/session/custody/custody-store.js';
import { Custody } from '../../src/session/custody/item-custody.js';
import { eventually } from '../helpers/eventually.js';
import { outboxPerTest, recordingServer } from '../helpers/outbox.js';
import { TrackingMachine } from '../session/custody-fakes.js';

const rig = outboxPerTest('rvm-custody-dedupe-', 0);
const config = outboxConfig.parse({ flushDelayMs: 0, backoff: { firstMs: 20, factor: 2, maxMs: 100 } });
const openBox = () => rig.open(config);

describe('custody and outbox after a crash', () => {
  it('keeps one credit when custody re-confirms an item whose credit was written just before a crash', async () => {
    const server = recordingServer();
    const box = await openBox();
    const record: CustodyRecord = { itemId: 'item-crash-1', sessionId: 's', material: 'pet', bin: 'plastic', points: 10, weightGrams: 24, confidence: 0.9, at: new Date().toISOString() };
    // The state a kill leaves between "credit fsynced" and "custody closed": both say item-crash-1.
    const store = new MemoryCustodyStore();
    await store.open(record);
    await box.record({ id: record.itemId, sessionId: record.sessionId, material: record.material, points: record.points, weightGrams: record.weightGrams, confidence: record.confidence, at: record.at });
    box.attachSender(server);
    await eventually(() => box.state().pushed === 1, { what: 'the credit delivered' });

    // The restarted kiosk reconciles: the controller says the item is in its bin.
    const machine = new TrackingMachine();
    machine.whereabouts.set(record.itemId, { state: 'dropped', bin: 'plastic' });
    const custody = new Custody({ store, machine, tracking: machine, credits: box });
    await expect(custody.reconcile()).resolves.toMatchObject({ credited: 1 });
    machine.emit('itemDropped', 'plastic', record.itemId); // and its repeated DROP arrives too
    await custody.reconcile();
    custody.dispose();
    expect(store.closedOutcome(record.itemId)).toBe('credited');
    expect(box.state()).toMatchObject({ pending: 0, pushed: 1 });
    expect(server.received).toEqual([record.itemId]);
  });
});
