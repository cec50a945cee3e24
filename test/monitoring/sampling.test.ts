/**
 * What gets sampled and written: the kiosk's published state mapped to readings, the change filter
 * (deadband + heartbeat), event windows, and today's tally across a restart and midnight.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeFilter, EventWindow } from '../../src/monitoring/change-filter.js';
import { DailyTally, localDay } from '../../src/monitoring/daily-tally.js';
import * as sources from '../../src/monitoring/sources.js';
import { makeTempDir } from '../helpers/outbox.js';

describe('sources', () => {
  const bins = { thresholdPercent: 90, bins: { plastic: { percent: 10, full: false }, can: { percent: 20, full: false }, glass: { percent: 95, full: true }, reject: { percent: 0, full: false } }, updatedAt: 1 };

  it('reads the machine, leaving out what it does not have', () => {
    const readings = sources.hardwareReadings({ link: { status: 'lost' }, bins, door: null, temperatureC: null, weightGrams: 12, itemPresent: true, faults: ['jam', 'overcurrent'] }, 5);
    expect(Object.fromEntries(readings.map((r) => [r.sensor, r.value]))).toEqual({
      'bin.plastic': 10, 'bin.can': 20, 'bin.glass': 95, 'bin.reject': 0, 'machine.weight': 12, 'machine.item_present': 1, 'machine.jammed': 1, 'machine.faults': 2, 'machine.link_up': 0,
    });
    expect(readings.every((r) => r.at === 5)).toBe(true);
  });

  it('reads the outbox age, the clock only once synced, and the computer', () => {
    const at = Date.parse('2026-11-02T10:00:00Z');
    const outbox = { pending: 3, failed: 1, oldestPendingAt: '2026-11-02T09:00:00Z' };
    expect(sources.outboxReadings(outbox, at).map((r) => [r.sensor, r.value])).toEqual([['outbox.pending', 3], ['outbox.failed', 1], ['outbox.oldest_age_s', 3600]]);
    const clock = { offsetMs: -45_000, synced: true };
    expect(sources.clockReadings(clock, at).map((r) => r.value)).toEqual([-45_000, 45_000]);
    expect(sources.clockReadings({ ...clock, synced: false }, at)).toEqual([]);
    const host = sources.hostReadings({ cpuPercent: 12.5, memoryPercent: 40, cpuTemperature: undefined, rssBytes: 150 * 1024 * 1024, heapUsedBytes: 31.6 * 1024 * 1024, freeDiskBytes: 2.5 * 1024 * 1024 * 1024 }, at);
    expect(host.map((r) => [r.sensor, r.value])).toEqual([['system.cpu_percent', 12.5], ['system.memory_percent', 40], ['system.rss_mb', 150], ['system.heap_used_mb', 32], ['disk.free_mb', 2560]]);
  });
});

describe('ChangeFilter', () => {
  it('writes a first reading, changes of at least the deadband, and everything once per heartbeat', () => {
    const filter = new ChangeFilter(60_000, (sensor) => (sensor === 'cpu' ? 5 : 0));
    const step = (at: number, cpu: number, door: number) => {
      const chosen = filter.select([{ sensor: 'cpu', value: cpu, at }, { sensor: 'door', value: door, at }]);
      filter.markWritten(chosen);
      return chosen.map((r) => r.sensor);
    };
    expect(step(0, 10, 0)).toEqual(['cpu', 'door']);
    expect(step(5_000, 14, 0)).toEqual([]);
    expect(step(10_000, 15, 1)).toEqual(['cpu', 'door']);
    expect(step(15_000, 11, 1)).toEqual([]);
    expect(step(70_000, 11, 1)).toEqual(['cpu', 'door']);
  });

  it('does not count as written what never reached the disk', () => {
    const filter = new ChangeFilter(60_000, () => 0);
    expect(filter.select([{ sensor: 'x', value: 1, at: 0 }])).toHaveLength(1);
    expect(filter.select([{ sensor: 'x', value: 1, at: 1 }])).toHaveLength(1); // not marked: still due
  });
});

describe('EventWindow', () => {
  it('counts events within the window', () => {
    const window = new EventWindow(3_600_000);
    window.note(0);
    window.note(1_000);
    expect(window.count(3_600_000)).toBe(1);
    expect(window.count(3_601_000)).toBe(0);
  });
});

describe('DailyTally', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir('rvm-tally-')));
  afterEach(() => cleanup());

  it('counts each item once, survives a restart, and starts again at local midnight', async () => {
    const file = path.join(dir, 'tally.json');
    let now = Date.parse('2026-11-02T10:00:00+07:00');
    const dayOf = (ms: number) => localDay(ms, 'Asia/Jakarta');
    const tally = await DailyTally.open(file, dayOf, () => now);
    tally.add({ id: 'a', material: 'pet', accepted: true, points: 10 });
    tally.add({ id: 'a', material: 'pet', accepted: true, points: 10 }); // the same item in the next session.state
    tally.add({ id: 'b', material: 'glass', accepted: true, points: 5 });
    tally.add({ id: 'c', material: 'reject', accepted: false, points: 0 });
    await tally.flush();
    const again = await DailyTally.open(file, dayOf, () => now);
    expect(again.summary()).toEqual({ day: '2026-11-02', since: Date.parse('2026-11-02T10:00:00+07:00'), items: { pet: 1, can: 0, glass: 1 }, accepted: 2, rejected: 1, points: 15, rejectRate: 1 / 3 });
    again.add({ id: 'a', material: 'pet', accepted: true, points: 10 });
    expect(again.summary().accepted).toBe(2);
    now = Date.parse('2026-11-03T00:00:01+07:00');
    expect(again.summary()).toMatchObject({ day: '2026-11-03', since: now, accepted: 0, rejected: 0, points: 0, rejectRate: 0 });
    await again.flush();
  });
});
