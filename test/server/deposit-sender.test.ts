/** What the outbox relies on: delivery results it can act on, client ids on the wire, nothing lost. */
import { afterEach, describe, expect, it } from 'vitest';
import { createDepositSender, toTransactions, type SendResult } from '../../src/server/deposit-sender.js';
import type { CreditRecord } from '../../src/domain/ports.js';
import { cleanupServerSims, fakeJpeg, makeClient, startSim } from '../helpers/server-sim.js';

afterEach(cleanupServerSims);

let seq = 0;
function record(over: Partial<CreditRecord> = {}): CreditRecord {
  seq += 1;
  return { id: `rec-${seq}`, sessionId: 'guest_s1', material: 'pet', points: 10, weightGrams: 18, confidence: 0.93, at: '2026-01-31T03:00:00.000Z', ...over };
}

describe('deposit sender', () => {
  it('sends a deposit with its image and puts the client id in the data JSON', async () => {
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    const r = record({ image: fakeJpeg(), material: 'can' });
    expect(await sender.sendDeposit(r)).toEqual({ kind: 'ok', accepted: 1, via: 'deposit' });
    expect(sim.state.deposits[0]).toMatchObject({ clientId: r.id, status: 'ACCEPTED', sessionId: 'guest_s1' });
    expect(sim.state.deposits[0]?.data).toMatchObject({ client_id: r.id, material: 'ALUMINUM', weight_g: 18, points: 10, is_accepted: true });
  });

  it('sends a record without a usable image through sync-offline, so no credit is dropped', async () => {
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    const bare = record();
    const raw = record({ image: Buffer.from('raw pixels, not a jpeg') });
    expect((await sender.sendDeposit(bare)).kind).toBe('ok');
    expect(await sender.sendDeposit(raw)).toEqual({ kind: 'ok', accepted: 1, via: 'sync-offline' });
    expect(sim.state.deposits).toHaveLength(0);
    expect(sim.state.offlineItems.map((i) => i.clientId)).toEqual([bare.id, raw.id]);
  });

  it('groups consecutive records of a session into one offline transaction, keeping every client id', () => {
    const txs = toTransactions([record({ sessionId: 'a' }), record({ sessionId: 'a', weightGrams: null }), record({ sessionId: 'b', material: 'glass' })]);
    expect(txs.map((t) => [t.session_id, t.items.length])).toEqual([['a', 2], ['b', 1]]);
    expect(txs[0]!.items[1]).toMatchObject({ type: 'plastic', weight: 0, points: 10 });
    expect(txs[1]!.items[0]!.type).toBe('glass');
    expect(txs.flatMap((t) => t.items.map((i) => i.client_id))).toHaveLength(3);
  });

  it('says retryable for outages, 5xx and 429 (with the hint), and for a batch the server rolls back', async () => {
    const sim = await startSim();
    const { client, delays } = makeClient(sim);
    const sender = createDepositSender(client);
    sim.outage(60_000);
    const down = await sender.sendOfflineBatch([record()]);
    expect(down).toMatchObject({ kind: 'retryable', status: null });
    sim.outage(0);
    sim.faults.add({ kind: 'status', status: 429, retryAfter: 30, times: 1 });
    expect(await sender.sendOfflineBatch([record()])).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 30_000 });
    sim.faults.add({ kind: 'status', status: 502, times: 1 });
    expect((await sender.sendOfflineBatch([record()])).kind).toBe('retryable');
    // One attempt per call: the outbox owns the schedule.
    expect(delays).toEqual([]);
    const bad = await sender.sendOfflineBatch([{ ...record(), material: 'wood' as never }]);
    expect(bad.kind).toBe('retryable');
    expect(sim.state.offlineItems).toHaveLength(0);
  });

  it('delivers every record through drops, 503s and garbled replies: none lost, a garbled 2xx resent (duplicates by client id)', async () => {
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    const records = Array.from({ length: 200 }, (_, i) => record({ sessionId: `s${Math.floor(i / 7)}`, ...(i % 10 === 0 ? { image: fakeJpeg() } : {}) }));
    sim.faults.add({ path: '/api/v1/edge/sync-offline', kind: 'drop', times: 3 });
    sim.faults.add({ path: '/api/v1/edge/sync-offline', kind: 'status', status: 503, times: 3 });
    sim.faults.add({ path: '/api/v1/edge/sync-offline', kind: 'malformed', times: 2 });
    sim.faults.add({ path: '/api/v1/edge/deposit', kind: 'drop', times: 2 });
    const results: SendResult['kind'][] = [];
    const withImage = records.filter((r) => r.image);
    const plain = records.filter((r) => !r.image);
    for (const r of withImage) {
      for (let r2 = await sender.sendDeposit(r); ; r2 = await sender.sendDeposit(r)) {
        results.push(r2.kind);
        if (r2.kind === 'ok') break;
      }
    }
    for (let i = 0; i < plain.length; i += 25) {
      const batch = plain.slice(i, i + 25);
      for (let r = await sender.sendOfflineBatch(batch); ; r = await sender.sendOfflineBatch(batch)) {
        results.push(r.kind);
        if (r.kind === 'ok') break;
      }
    }
    // 3 drops + 3 503s + 2 garbled on sync-offline, 2 drops on deposit: each a retry, none counted as delivered.
    expect(results.filter((k) => k === 'retryable').length).toBe(10);
    expect(results).not.toContain('permanent');
    expect(new Set(sim.state.receivedClientIds())).toEqual(new Set(records.map((r) => r.id)));
    // The rules fire in order on the first sync-offline batch (25 records): the two garbled 2xx replies came
    // after the server stored it, so that batch arrived 3 times, and only that batch. Visible by client id.
    const firstBatch = plain.slice(0, 25).map((r) => r.id);
    expect(new Set(sim.state.duplicateClientIds())).toEqual(new Set(firstBatch));
    expect(sim.state.receivedClientIds()).toHaveLength(200 + 2 * 25);
  });

  it('reports content the server refuses for good as permanent', async () => {
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    sim.faults.add({ path: '/api/v1/edge/sync-offline', kind: 'status', status: 422, times: 1 });
    expect(await sender.sendOfflineBatch([record()])).toMatchObject({ kind: 'permanent', status: 422 });
  });

  it('makes a lost reply visible: the resend is a duplicate the server can spot by client id', async () => {
    const sim = await startSim();
    const sender = createDepositSender(makeClient(sim).client);
    const r = record();
    sim.faults.add({ path: '/api/v1/edge/sync-offline', kind: 'drop_after', times: 1 });
    expect((await sender.sendOfflineBatch([r])).kind).toBe('retryable');
    expect((await sender.sendOfflineBatch([r])).kind).toBe('ok');
    expect(sim.state.duplicateClientIds()).toEqual([r.id]);
  });
});
