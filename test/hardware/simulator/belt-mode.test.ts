/**
 * The simulated machine in belt mode (protocol 3): a SORT pushes the item off the intake and is ACKed once the
 * intake is clear, so the next item can be weighed and sorted while earlier ones ride to their bins; each
 * DROP still names its own item; a full belt answers BUSY; a hand-back goes back out of the intake without
 * waiting for the belt; a jam halts the items where they are.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ControllerEvent } from '../../../src/hardware/protocol/index.js';
import { MachineModel } from '../../../src/hardware/simulator/machine-model.js';
import { DEFAULT_CAPACITY_ML, INSTANT_TIMINGS, type SimTimings } from '../../../src/hardware/simulator/sim-settings.js';

const TIMINGS: SimTimings = { ...INSTANT_TIMINGS, settleMs: 40, transferMs: 50, gateMs: 30, conveyorMs: 1_000 };

let events: ControllerEvent[];
beforeEach(() => {
  vi.useFakeTimers();
  events = [];
});
afterEach(() => vi.useRealTimers());

function model(belt: number): MachineModel {
  return new MachineModel(TIMINGS, DEFAULT_CAPACITY_ML, (e) => events.push(e), () => 0.5, belt);
}

const drops = () => events.flatMap((e) => (e.type === 'drop' ? [e] : []));

describe('machine model: belt mode', () => {
  it('clears the intake at the ACK and carries several items at once, each DROP naming its own item', async () => {
    const m = model(3);
    expect(m.pipelined).toBe(true);
    m.insertItem('pet');
    const first = m.execute({ op: 'sort', bin: 'plastic', item: 'a' });
    await vi.advanceTimersByTimeAsync(50);
    await expect(first).resolves.toMatchObject({ ok: true });
    expect(m.intake).toBeNull();
    expect(events.filter((e) => e.type === 'item').at(-1)).toEqual({ type: 'item', present: false });
    expect(m.whereIs('a')).toEqual({ state: 'transit' });

    // The next item comes in while the first one rides.
    m.insertItem('can');
    const second = m.execute({ op: 'sort', bin: 'can', item: 'b' });
    await vi.advanceTimersByTimeAsync(50);
    await expect(second).resolves.toMatchObject({ ok: true });
    expect(drops()).toEqual([]);
    expect(m.statusData().conv).toBe('run');

    await vi.advanceTimersByTimeAsync(1_000);
    expect(drops()).toEqual([
      { type: 'drop', bin: 'plastic', item: 'a' },
      { type: 'drop', bin: 'can', item: 'b' },
    ]);
    expect(m.whereIs('b')).toEqual({ state: 'dropped', bin: 'can' });
    expect(m.statusData().conv).toBe('stop');
  });

  it('answers BUSY while every place on the belt is taken, and takes the item once one frees', async () => {
    const m = model(2);
    for (const id of ['a', 'b']) {
      m.insertItem('pet');
      const sorted = m.execute({ op: 'sort', bin: 'plastic', item: id });
      await vi.advanceTimersByTimeAsync(50);
      await expect(sorted).resolves.toMatchObject({ ok: true });
    }
    m.insertItem('pet');
    await expect(m.execute({ op: 'sort', bin: 'plastic', item: 'c' })).resolves.toEqual({ ok: false, code: 'BUSY' });
    expect(m.whereIs('c')).toEqual({ state: 'unknown' });
    await vi.advanceTimersByTimeAsync(1_000);
    const third = m.execute({ op: 'sort', bin: 'plastic', item: 'c' });
    await vi.advanceTimersByTimeAsync(1_050);
    await expect(third).resolves.toMatchObject({ ok: true });
    expect(drops().map((d) => d.item)).toEqual(['a', 'b', 'c']);
  });

  it('hands an item back out of the intake while earlier items still ride, without a gate move', async () => {
    const m = model(3);
    m.insertItem('pet');
    const first = m.execute({ op: 'sort', bin: 'plastic', item: 'a' });
    await vi.advanceTimersByTimeAsync(50);
    await first;
    m.insertItem('other');
    const back = m.execute({ op: 'sort', bin: 'reject', item: null });
    await vi.advanceTimersByTimeAsync(50);
    await expect(back).resolves.toMatchObject({ ok: true });
    expect(m.intake).toBeNull();
    expect(drops()).toEqual([{ type: 'drop', bin: 'reject' }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(drops().at(-1)).toEqual({ type: 'drop', bin: 'plastic', item: 'a' });
  });

  it('refuses a named sort with an empty intake and a sort into a full bin, as in protocol 2', async () => {
    const m = model(3);
    await expect(m.execute({ op: 'sort', bin: 'plastic', item: 'ghost' })).resolves.toEqual({ ok: false, code: 'NO_ITEM' });
    m.setBinPercent('glass', 100);
    m.insertItem('glass');
    await expect(m.execute({ op: 'sort', bin: 'glass', item: 'g' })).resolves.toEqual({ ok: false, code: 'BIN_FULL' });
    expect(m.intake).not.toBeNull();
    expect(m.whereIs('g')).toEqual({ state: 'unknown' });
  });

  it('halts the items on the belt during a jam and lets them ride on once it clears', async () => {
    const m = model(3);
    m.insertItem('can');
    const sorted = m.execute({ op: 'sort', bin: 'can', item: 'j' });
    await vi.advanceTimersByTimeAsync(50);
    await sorted;
    m.setFault('jam', true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(drops()).toEqual([]);
    expect(m.whereIs('j')).toEqual({ state: 'transit' });
    m.setFault('jam', false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(drops()).toEqual([{ type: 'drop', bin: 'can', item: 'j' }]);
  });

  it('keeps one item at a time with a belt of one place (protocol 2): the intake holds the item until it drops', async () => {
    const m = model(1);
    expect(m.pipelined).toBe(false);
    m.insertItem('pet');
    const sorted = m.execute({ op: 'sort', bin: 'plastic', item: 'a' });
    await vi.advanceTimersByTimeAsync(30);
    await sorted;
    expect(m.intake).not.toBeNull();
    expect(() => m.insertItem('can')).toThrow(/already/);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(m.intake).toBeNull();
  });
});
