/**
 * The history on disk, with an injected clock (the store's time is all in `now`): appends survive a reopen,
 * raw readings are averaged into 5-minute and then hourly buckets as they age, old segments are deleted,
 * the size stays bounded with the oldest dropped first, and a crash half-way through averaging is repaired.
 */
import { appendFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/events.js';
import { HistoryStore, type HistoryOptions } from '../../src/monitoring/history-store.js';
import { downsample } from '../../src/monitoring/rollup.js';
import { makeTempDir } from '../helpers/outbox.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2); // a UTC midnight

let dir: string;
let cleanup: () => Promise<void>;
let clock: number;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-history-'));
  clock = T0;
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await cleanup();
});

async function open(options: Partial<HistoryOptions> = {}): Promise<HistoryStore> {
  const store = await HistoryStore.open(dir, { rawMs: DAY, fiveMinuteMs: 7 * DAY, retentionMs: 30 * DAY, maxBytes: 64 * 1024 * 1024, segmentMaxBytes: 4 * 1024 * 1024, now: () => clock, ...options });
  stores.push(store);
  return store;
}

/** One reading of `sensor` a minute for `minutes`, value = f(minute), with the clock following. */
async function feed(store: HistoryStore, minutes: number, f: (m: number) => number, sensor = 'bin.glass'): Promise<void> {
  const start = clock;
  for (let m = 0; m < minutes; m += 1) {
    clock = start + m * MIN;
    await store.append([{ sensor, value: f(m), at: clock }]);
  }
  clock = start + minutes * MIN;
}

const files = async () => (await readdir(dir)).sort();

describe('HistoryStore', () => {
  it('keeps what it appended across a reopen, queryable by sensor and range', async () => {
    const store = await open();
    const batch: Reading[] = [
      { sensor: 'bin.glass', value: 40, at: T0 + 1_000 },
      { sensor: 'machine.temperature', value: 31.5, at: T0 + 1_000 },
      { sensor: 'bin.glass', value: 41, at: T0 + 2_000 },
    ];
    await store.append(batch);
    await store.close();
    stores.length = 0;
    const again = await open();
    expect(again.query('bin.glass', T0, T0 + 10_000).map((p) => [p.at, p.value])).toEqual([[T0 + 1_000, 40], [T0 + 2_000, 41]]);
    expect(again.query('bin.glass', T0 + 1_500, T0 + 10_000)).toHaveLength(1);
    expect(again.query('machine.temperature', T0, T0 + 10_000)).toEqual([{ at: T0 + 1_000, value: 31.5, min: 31.5, max: 31.5, count: 1 }]);
    expect(again.sensors()).toEqual(['bin.glass', 'machine.temperature']);
    expect([...again.rows(T0, T0 + 10_000)].map((r) => `${r.at - T0} ${r.sensor} ${r.value} ${r.tier}`)).toEqual(['1000 bin.glass 40 raw', '1000 machine.temperature 31.5 raw', '2000 bin.glass 41 raw']);
    expect([...again.rows(T0, T0 + 10_000, 'machine.temperature')]).toHaveLength(1);
    // The reopened segment is appended to, not replaced.
    await again.append([{ sensor: 'bin.glass', value: 42, at: T0 + 3_000 }]);
    expect(again.query('bin.glass', T0, T0 + 10_000)).toHaveLength(3);
    expect(await files()).toEqual([`raw-${T0}.jnl`]);
  });

  it('averages raw readings into 5-minute buckets after rawMs and into hours after fiveMinuteMs, same answers throughout', async () => {
    const store = await open();
    await feed(store, 2 * 60, (m) => m); // two hours, 0..119
    clock = T0 + DAY + 5; // next UTC day: a new raw segment starts on the next append
    await store.append([{ sensor: 'bin.glass', value: 500, at: clock }]);

    clock = T0 + 2 * DAY + 1;
    await store.maintain();
    expect((await files()).filter((f) => f.startsWith('5m-'))).toEqual([`5m-${T0}.jnl`]);
    const fiveMinute = store.query('bin.glass', T0, T0 + DAY);
    expect(fiveMinute).toHaveLength(24);
    expect(fiveMinute[0]).toEqual({ at: T0, value: 2, min: 0, max: 4, count: 5 });
    expect(fiveMinute[23]).toEqual({ at: T0 + 115 * MIN, value: 117, min: 115, max: 119, count: 5 });

    clock = T0 + 8 * DAY + 1;
    await store.maintain();
    expect((await files()).filter((f) => f.startsWith('1h-'))).toEqual([`1h-${T0}.jnl`]);
    const hourly = store.query('bin.glass', T0, T0 + DAY);
    expect(hourly).toEqual([
      { at: T0, value: 29.5, min: 0, max: 59, count: 60 },
      { at: T0 + HOUR, value: 89.5, min: 60, max: 119, count: 60 },
    ]);
    // After a reopen the averaged tiers read back the same.
    await store.close();
    stores.length = 0;
    expect((await open()).query('bin.glass', T0, T0 + DAY)).toEqual(hourly);
  });

  it('deletes segments older than the retention', async () => {
    const store = await open({ retentionMs: 3 * DAY });
    await feed(store, 10, () => 1);
    clock = T0 + DAY;
    await feed(store, 10, () => 2);
    clock = T0 + 3 * DAY + HOUR;
    await store.maintain();
    // The first day is gone; the second (still the segment being appended to) stays raw.
    expect(store.query('bin.glass', T0, clock).map((p) => p.value)).toEqual(Array(10).fill(2));
    expect(store.stats().oldestAt).toBe(T0 + DAY);
  });

  it('stays within maxBytes, dropping the oldest segment first', async () => {
    const store = await open({ maxBytes: 20_000, segmentMaxBytes: 8_000 });
    const wide = (m: number): Reading[] => Array.from({ length: 10 }, (_, i) => ({ sensor: `s${i}`, value: m, at: T0 + m * MIN }));
    for (let m = 0; m < 300; m += 1) {
      clock = T0 + m * MIN;
      await store.append(wide(m));
    }
    await store.maintain();
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(20_000);
    const kept = store.query('s0', T0, clock + 1);
    expect(kept.at(-1)?.value).toBe(299); // the newest survive
    expect(kept[0]!.value).toBeGreaterThan(0); // the oldest went first
    expect(kept.map((p) => p.value)).toEqual(Array.from({ length: kept.length }, (_, i) => 300 - kept.length + i));
  });

  it('finishes a crash half-way through averaging: the complete copy wins, the source goes', async () => {
    const store = await open();
    await feed(store, 30, (m) => m);
    await store.close();
    stores.length = 0;
    // As if killed after the 5-minute copy was renamed into place but before the raw segment was deleted.
    await writeFile(path.join(dir, `5m-${T0}.jnl`), '');
    await writeFile(path.join(dir, `1h-${T0 + 5}.jnl.tmp`), 'half');
    clock = T0 + 2 * DAY;
    await open();
    expect(await files()).toEqual([`5m-${T0}.jnl`]);
  });

  it('cuts a torn last line (never acknowledged) and keeps the rest', async () => {
    const store = await open();
    await feed(store, 3, (m) => m);
    await store.close();
    stores.length = 0;
    await appendFile(path.join(dir, `raw-${T0}.jnl`), '1234abcd {"at":');
    const again = await open();
    expect(again.query('bin.glass', T0, clock).map((p) => p.value)).toEqual([0, 1, 2]);
    await again.append([{ sensor: 'bin.glass', value: 3, at: clock }]);
    await again.close();
    stores.length = 0;
    expect((await open()).query('bin.glass', T0, clock + 1).map((p) => p.value)).toEqual([0, 1, 2, 3]);
  });

  it('downsamples a range to at most N points, weighting each bucket by its readings', () => {
    const points = Array.from({ length: 1_000 }, (_, i) => ({ at: i, value: i, min: i, max: i, count: 1 }));
    const down = downsample(points, 0, 1_000, 10);
    expect(down).toHaveLength(10);
    expect(down[0]).toEqual({ at: 0, value: 49.5, min: 0, max: 99, count: 100 });
    expect(downsample(points.slice(0, 5), 0, 1_000, 10)).toHaveLength(5);
    const weighted = downsample([{ at: 0, value: 10, min: 10, max: 10, count: 3 }, { at: 1, value: 20, min: 20, max: 20, count: 1 }], 0, 10, 1);
    expect(weighted).toEqual([{ at: 0, value: 12.5, min: 10, max: 20, count: 4 }]);
  });
});
