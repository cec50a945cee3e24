/**
 * A full disk (ENOSPC injected through the StorageFs seam, with short writes and partial files as a real
 * disk leaves them): an ack that cannot be written pauses delivery instead of re-sending the same credits on
 * every retry; failed writes leave no partial files; the disk reserve lets the credit of an item already in
 * the bin be recorded; and the outbox says it cannot take items until the disk takes writes again.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outboxConfig } from '../../src/outbox/config.js';
import { CreditJournal } from '../../src/outbox/credit-journal.js';
import { JournalFile } from '../../src/outbox/journal-file.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { parseJournal } from '../../src/outbox/record-codec.js';
import type { OutboxSender } from '../../src/outbox/sender.js';
import { eventually } from '../helpers/eventually.js';
import { FaultyDisk } from '../helpers/faulty-fs.js';
import { makeCredit, makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
let disk: FaultyDisk;
const opened: Outbox[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  disk = new FaultyDisk();
});
afterEach(async () => {
  for (const box of opened.splice(0)) await box.close();
  await cleanup();
});

const open = async (overrides: Record<string, unknown> = {}) => {
  const config = outboxConfig.parse({ flushDelayMs: 0, batchSize: 10, backoff: { firstMs: 10, factor: 1, maxMs: 10 }, ackRetryMs: 100, ...overrides });
  const box = await Outbox.open(dir, config, { fs: disk.fs });
  opened.push(box);
  return box;
};

/** A server that accepts everything and counts what it received, duplicates included. */
function countingServer() {
  const received: string[] = [];
  const sender: OutboxSender = {
    async send(batch) {
      received.push(...batch.map((b) => b.id));
      return { kind: 'ok' };
    },
  };
  const copies = (id: string) => received.filter((r) => r === id).length;
  return { sender, received, copies };
}

const ids = (n: number) => Array.from({ length: n }, (_, k) => makeCredit(k + 1).id);
const isStatus = (file: string) => file.endsWith('status.jnl');

describe('outbox on a full disk', () => {
  it('an ack that cannot be written pauses delivery: each credit reaches the server once, not once per retry', async () => {
    const box = await open({ reserveBytes: 0 });
    for (let n = 1; n <= 3; n += 1) await box.record(makeCredit(n));
    disk.fill();
    const server = countingServer();
    box.attachSender(server.sender);
    // Let the outbox retry many times: each ack retry hits ENOSPC on the status journal.
    await eventually(() => disk.enospc.filter(isStatus).length >= 6, { what: 'six failed ack writes' });
    expect(server.received).toEqual(ids(3)); // sent once; before, every backoff retry sent all three again
    expect(box.state()).toMatchObject({ ackPending: 3, pending: 0, pushed: 0 });
    expect(box.state().alarms).toEqual(expect.arrayContaining(['ack_write_failed', 'write_failed']));
    expect(box.state().writeError).toMatch(/ENOSPC/);
    expect(box.canAccept()).toBe(false);
    // A manual push while paused writes nothing new to the server either.
    const push = await box.push();
    expect(push).toMatchObject({ outcome: 'retryable', attempted: 0 });
    expect(server.received).toEqual(ids(3));

    disk.clear();
    await eventually(() => box.state().pushed === 3 && box.state().ackPending === 0, { what: 'the pending ack to be written' });
    expect(server.received).toEqual(ids(3));
    await box.record(makeCredit(4)); // sending resumes once the ack is on disk
    await eventually(() => server.received.length === 4, { what: 'the next credit' });
    expect(server.copies(makeCredit(4).id)).toBe(1);
    await box.refresh();
    expect(box.state().alarms).toEqual([]);
    expect(box.canAccept()).toBe(true);
  });

  it('a restart while the ack is still unwritten re-sends each credit at most once more', async () => {
    const box = await open({ reserveBytes: 0 });
    for (let n = 1; n <= 3; n += 1) await box.record(makeCredit(n));
    disk.fill();
    const server = countingServer();
    box.attachSender(server.sender);
    await eventually(() => box.state().ackPending === 3, { what: 'the failed ack' });
    await box.close();
    opened.pop();
    disk.clear();
    const again = await open({ reserveBytes: 0 });
    again.attachSender(server.sender);
    await eventually(() => again.state().pending === 0 && again.state().pushed === 3, { what: 'delivery after the restart' });
    for (const id of ids(3)) expect(server.copies(id)).toBe(2); // the bound: one duplicate per record per restart
  });

  it('uses the disk reserve so the ack is written at once: no pause, no duplicate, but out of service', async () => {
    const box = await open(); // reserveBytes: default
    for (let n = 1; n <= 3; n += 1) await box.record(makeCredit(n));
    disk.fill();
    const server = countingServer();
    box.attachSender(server.sender);
    await eventually(() => box.state().pushed === 3, { what: 'the ack written into the released reserve' });
    expect(server.received).toEqual(ids(3));
    expect(box.state()).toMatchObject({ ackPending: 0, writeError: expect.stringMatching(/reserve/) });
    expect(box.state().alarms).toContain('write_failed');
    expect(box.canAccept()).toBe(false);
    await box.refresh(); // still full: the reserve cannot be written back
    expect(box.canAccept()).toBe(false);
    disk.clear();
    await box.refresh();
    expect(box.canAccept()).toBe(true);
    expect(await readdir(dir)).toContain('reserve.bin');
  });

  it('records the credit of an item already in the bin through the reserve, and keeps it across a restart', async () => {
    const box = await open();
    disk.fill();
    await box.record(makeCredit(1)); // without the reserve this rejected: an item in the bin, not counted
    expect(box.canAccept()).toBe(false);
    await box.close();
    opened.pop();
    disk.clear();
    const again = await open();
    expect(again.preview({ limit: 10 }).records.map((r) => r.id)).toEqual([makeCredit(1).id]);
    expect(again.state().damagedLines).toBe(0);
  });

  it('a failed image write leaves no partial file; the credit is recorded without its photo', async () => {
    const box = await open({ reserveBytes: 0 });
    disk.free = 10_000; // room for the journal line, not for a 100 KB photo
    await box.record(makeCredit(1, { image: Buffer.alloc(100_000, 7) }));
    expect(await readdir(path.join(dir, 'images'))).toEqual([]); // no partial .img, no .tmp
    expect(box.preview({ limit: 10 }).records).toMatchObject([{ id: makeCredit(1).id, hasImage: false }]);
    expect(box.state().writeError).toMatch(/ENOSPC/);
    expect(box.canAccept()).toBe(false);
    disk.clear();
    await box.refresh();
    expect(box.state().writeError).toBeNull();
    expect(box.canAccept()).toBe(true);
  });

  it('a credit that cannot be written at all rejects, leaves no partial line, and the next one is clean', async () => {
    const box = await open({ reserveBytes: 0 });
    await box.record(makeCredit(1));
    disk.free = 40; // a short write: part of the line lands, then ENOSPC
    await expect(box.record(makeCredit(2))).rejects.toThrow(/ENOSPC/);
    expect(box.state().alarms).toContain('write_failed');
    disk.clear();
    await box.record(makeCredit(3));
    await box.close();
    opened.pop();
    const parsed = parseJournal(await readFile(path.join(dir, 'seg-00000001.jnl')));
    expect(parsed.damaged).toEqual([]);
    expect(parsed.tornTail).toBeNull();
    expect(parsed.entries.map((e) => (e as { id: string }).id)).toEqual([makeCredit(1).id, makeCredit(3).id]);
  });
});

describe('journal file after a failed append', () => {
  it('does not glue the next line to partial bytes it could not cut off', async () => {
    const file = path.join(dir, 'j.jnl');
    const { journal } = await JournalFile.open(file, { fs: disk.fs });
    await journal.append([{ n: 1 }]);
    disk.free = 5; // the next line half-lands…
    disk.failNext('truncate', (f) => f === file); // …and cutting it off fails (EIO), twice: right away and
    disk.failNext('truncate', (f) => f === file); // once more after the failed round
    await expect(journal.append([{ n: 2 }])).rejects.toThrow(/ENOSPC/);
    disk.clear();
    await journal.append([{ n: 3 }]);
    await journal.close();
    const parsed = parseJournal(await readFile(file));
    expect(parsed.entries).toEqual([{ n: 1 }, { n: 3 }]);
    expect(parsed.damaged).toEqual([]);
  });
});

describe('credit journal status on a full disk', () => {
  it('keeps accepted records out of the owed list while their ack is unwritten, and writes it later', async () => {
    const journal = await CreditJournal.open(dir, 1 << 20, { fs: disk.fs });
    for (let n = 1; n <= 2; n += 1) await journal.append(makeCredit(n));
    disk.fill();
    await expect(journal.ack([makeCredit(1).id])).rejects.toThrow(/could not journal the server's ack/);
    expect([...journal.list()].map((i) => i.id)).toEqual([makeCredit(2).id]);
    expect(journal.ackPending).toBe(1);
    disk.clear();
    await journal.retryAcks();
    expect(journal.ackPending).toBe(0);
    expect(journal.pushedTotal).toBe(1);
    await journal.close();
  });
});
