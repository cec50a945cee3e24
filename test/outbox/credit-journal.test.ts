import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal } from '../../src/outbox/credit-journal.js';
import { encodeLine } from '../../src/outbox/record-codec.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(async () => cleanup());

const ids = (journal: CreditJournal) => [...journal.list()].map((i) => i.id);
const segments = async () => (await readdir(dir)).filter((n) => n.startsWith('seg-')).sort();

describe('CreditJournal', () => {
  it('keeps every appended credit across a reopen, in order, with its fields', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    for (let n = 0; n < 5; n += 1) await journal.append(makeCredit(n));
    await journal.close();
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(ids(reopened)).toEqual([0, 1, 2, 3, 4].map((n) => makeCredit(n).id));
    const first = reopened.list().next().value!;
    expect(first).toMatchObject({ sessionId: 'session-0', material: 'can', points: 10, weightGrams: 15, seq: 1 });
    await reopened.close();
  });

  it('cuts a torn tail on reopen, and appends after it stay readable', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    await journal.append(makeCredit(1));
    await journal.append(makeCredit(2));
    await journal.close();
    const seg = path.join(dir, (await segments())[0]!);
    const full = (await stat(seg)).size;
    await appendFile(seg, '1234abcd {"t":"credit","seq":3,"id":"torn'); // power lost mid-write
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(ids(reopened)).toEqual([makeCredit(1).id, makeCredit(2).id]);
    expect((await stat(seg)).size).toBe(full);
    await reopened.append(makeCredit(3));
    await reopened.close();
    const third = await CreditJournal.open(dir, 1 << 20);
    expect(ids(third)).toEqual([1, 2, 3].map((n) => makeCredit(n).id));
    expect(third.damagedLines).toBe(0);
    await third.close();
  });

  it('skips and quarantines a corrupted record in the middle without losing the others', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    for (let n = 1; n <= 3; n += 1) await journal.append(makeCredit(n));
    await journal.close();
    const seg = path.join(dir, (await segments())[0]!);
    const text = await readFile(seg, 'utf8');
    await writeFile(seg, text.replace('"id":"credit-00002"', '"id":"credit-0000X"'));
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(ids(reopened)).toEqual([makeCredit(1).id, makeCredit(3).id]);
    expect(reopened.damagedLines).toBe(1);
    const quarantined = (await readdir(path.join(dir, 'quarantine'))).filter((n) => n.endsWith('.damaged'));
    expect(quarantined).toHaveLength(1);
    expect(await readFile(path.join(dir, 'quarantine', quarantined[0]!), 'utf8')).toContain('credit-0000X');
    await reopened.close();
  });

  it('forgets acknowledged credits across a reopen and keeps the pushed total', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    for (let n = 1; n <= 4; n += 1) await journal.append(makeCredit(n));
    await journal.ack([makeCredit(1).id, makeCredit(2).id]);
    await journal.close();
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(ids(reopened)).toEqual([makeCredit(3).id, makeCredit(4).id]);
    expect(reopened.pushedTotal).toBe(2);
    await reopened.close();
  });

  it('parks a failed credit across a reopen until it is acknowledged', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    await journal.append(makeCredit(1));
    await journal.fail(makeCredit(1).id, 'HTTP 422');
    await journal.close();
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(reopened.list().next().value?.failure?.reason).toBe('HTTP 422');
    expect(reopened.failedCount).toBe(1);
    await reopened.ack([makeCredit(1).id]);
    expect(reopened.failedCount).toBe(0);
    expect(reopened.size).toBe(0);
    await reopened.close();
  });

  it('stores images outside the journal, reads them back verified, and deletes them once acked', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    const image = Buffer.alloc(20_000, 7);
    const stored = await journal.append(makeCredit(1, { image }));
    expect((await readFile(path.join(dir, (await segments())[0]!))).length).toBeLessThan(1000);
    expect(await journal.readImage(stored)).toEqual(image);
    await writeFile(path.join(dir, 'images', stored.image!.file), Buffer.alloc(20_000, 8));
    expect(await journal.readImage(stored)).toBeNull();
    await journal.ack([stored.id]);
    expect(await readdir(path.join(dir, 'images'))).toEqual([]);
    await journal.close();
  });

  it('removes an orphan image left by a crash between the image and its journal line', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    const kept = await journal.append(makeCredit(1, { image: Buffer.from('kept') }));
    await journal.close();
    await writeFile(path.join(dir, 'images', 'ffffffffffffffffffffffffffffffff.img'), 'orphan');
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(await readdir(path.join(dir, 'images'))).toEqual([kept.image!.file]);
    await reopened.close();
  });

  it('refuses a credit that could not be replayed, instead of losing it at the next start', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    await expect(journal.append(makeCredit(1, { points: Number.NaN }))).rejects.toThrow(/invalid credit credit-00001: points/);
    await journal.append(makeCredit(2));
    expect(ids(journal)).toEqual([makeCredit(2).id]);
    await journal.close();
  });

  it('treats a second append of a pending id as the same record', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    await Promise.all([journal.append(makeCredit(1)), journal.append(makeCredit(1))]);
    await journal.append(makeCredit(1));
    expect(journal.size).toBe(1);
    await journal.close();
    const reopened = await CreditJournal.open(dir, 1 << 20);
    expect(reopened.size).toBe(1);
    await reopened.close();
  });

  it('keeps call order for concurrent appends, images or not', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20);
    const credits = Array.from({ length: 30 }, (_, n) => makeCredit(n, n % 2 ? { image: Buffer.alloc(5000 * (n % 5), 1) } : {}));
    await Promise.all(credits.map((c) => journal.append(c)));
    await journal.close();
    const reopened = await CreditJournal.open(dir, 1 << 20);
    const items = [...reopened.list()];
    expect(items.map((i) => i.id)).toEqual(credits.map((c) => c.id));
    expect(items.map((i) => i.seq)).toEqual(items.map((_, k) => k + 1));
    await reopened.close();
  });

  it('deletes fully acknowledged segments and shrinks the status journal', async () => {
    const journal = await CreditJournal.open(dir, 2048, { statusRewriteBytes: 4096 });
    const all = [];
    for (let n = 0; n < 150; n += 1) all.push((await journal.append(makeCredit(n))).id);
    expect((await segments()).length).toBeGreaterThan(10);
    await journal.ack(all.slice(0, 2));
    const oneAckLine = (await stat(path.join(dir, 'status.jnl'))).size;
    for (let k = 2; k < all.length; k += 1) await journal.ack([all[k]!]); // many small acks: a long status journal
    expect((await segments()).length).toBe(1);
    expect((await stat(path.join(dir, 'status.jnl'))).size).toBeLessThan((oneAckLine * all.length) / 4);
    await journal.close();
    const reopened = await CreditJournal.open(dir, 2048, { statusRewriteBytes: 4096 });
    expect(reopened.size).toBe(0); // acks for the surviving segment were carried over
    expect(reopened.pushedTotal).toBe(150);
    await reopened.close();
  });

  it('finishes an interrupted compaction: sealed, fully acked segments go on reopen', async () => {
    const journal = await CreditJournal.open(dir, 200);
    for (let n = 0; n < 6; n += 1) await journal.append(makeCredit(n));
    const all = [...journal.list()].map((i) => i.id);
    await journal.close();
    const before = await segments();
    expect(before.length).toBeGreaterThan(2);
    // The ack reached the status journal, then the process died before deleting any segment.
    await appendFile(path.join(dir, 'status.jnl'), encodeLine({ t: 'ack', ids: all, at: new Date().toISOString(), total: all.length }));
    const reopened = await CreditJournal.open(dir, 200);
    expect(reopened.size).toBe(0);
    expect(await segments()).toEqual([before.at(-1)]);
    await reopened.close();
  });
});
