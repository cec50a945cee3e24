/** The custody journal on disk: replay, torn tail, damage, and compaction that keeps what must be kept. */
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CustodyRecord } from '../../src/domain/ports.js';
import { encodeCustodyLine, FileCustodyStore } from '../../src/session/custody/custody-store.js';
import { makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
const stores: FileCustodyStore[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-custody-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose().catch(() => undefined);
  await cleanup();
});

async function open(options: Parameters<typeof FileCustodyStore.open>[1] = {}): Promise<FileCustodyStore> {
  const store = await FileCustodyStore.open(path.join(dir, 'custody'), options);
  stores.push(store);
  return store;
}

function record(n: number): CustodyRecord {
  return { itemId: `item-${n}`, sessionId: 's', material: 'can', bin: 'can', points: 12, weightGrams: 14, confidence: 0.8, at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() };
}

const file = () => path.join(dir, 'custody', 'custody.jnl');

describe('custody journal', () => {
  it('replays open records and closed ids after a restart', async () => {
    const first = await open();
    await first.open(record(1));
    await first.open(record(2));
    await first.close('item-1', 'credited');
    await first.dispose();
    const second = await open();
    expect(second.openRecords()).toEqual([record(2)]);
    expect(second.find('item-2')).toEqual(record(2));
    expect(second.closedOutcome('item-1')).toBe('credited');
    expect(second.closedOutcome('item-2')).toBeNull();
  });

  it('cuts a torn last line off and skips a damaged one, keeping the rest', async () => {
    const first = await open();
    await first.open(record(1));
    await first.dispose();
    const good = encodeCustodyLine({ t: 'open', ...record(3) });
    await appendFile(file(), `0badf00d {"t":"open","itemId":"item-2"}\n${good}00000000 {"t":"clo`);
    const second = await open();
    expect(second.openRecords().map((r) => r.itemId)).toEqual(['item-1', 'item-3']);
    expect(second.damagedLines).toBe(1);
    expect((await readFile(file(), 'utf8')).endsWith('\n')).toBe(true);
    await second.close('item-3', 'not_dropped');
    await second.dispose();
    expect((await open()).openRecords().map((r) => r.itemId)).toEqual(['item-1']);
  });

  it('compacts when it grows: open records stay, closed ids stay for the retention, older ones go', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = await open({ compactBytes: 4096, retentionMs: 3600_000, now: () => now });
    await store.open(record(0)); // stays open throughout
    for (let n = 1; n <= 40; n++) {
      await store.open(record(n));
      await store.close(`item-${n}`, 'credited');
      if (n === 20) now += 2 * 3600_000; // the first twenty are past the retention from here on
    }
    expect((await stat(file())).size).toBeLessThan(4096 + 1024);
    await store.dispose();
    const reopened = await open();
    expect(reopened.openRecords()).toEqual([record(0)]);
    expect(reopened.closedOutcome('item-40')).toBe('credited');
    expect(reopened.closedOutcome('item-21')).toBe('credited');
    expect(reopened.closedOutcome('item-1')).toBeNull();
  });
});
