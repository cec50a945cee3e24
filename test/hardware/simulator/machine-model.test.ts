import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ControllerEvent } from '../../../src/hardware/protocol/messages.js';
import { InsertRefused, MachineModel } from '../../../src/hardware/simulator/machine-model.js';
import { DEFAULT_CAPACITY_ML, INSTANT_TIMINGS } from '../../../src/hardware/simulator/sim-settings.js';
import { eventually } from '../../helpers/eventually.js';

let model: MachineModel;
let events: ControllerEvent[];

function fresh(): MachineModel {
  events = [];
  model = new MachineModel(INSTANT_TIMINGS, DEFAULT_CAPACITY_ML, (event) => events.push(event), () => 0.5);
  return model;
}

afterEach(() => {
  model.stop();
  vi.useRealTimers();
});

describe('MachineModel item cycle', () => {
  it('intake → weight → gate → conveyor → drop, filling the bin by volume', async () => {
    fresh();
    model.insertItem('pet');
    await eventually(() => events.some((e) => e.type === 'weight'), { what: 'the weight reading' });
    expect(events.slice(0, 2)).toEqual([{ type: 'item', present: true }, { type: 'weight', grams: 24 }]);
    expect(await model.execute({ op: 'gate', bin: 'plastic' })).toEqual({ ok: true, data: {} });
    expect(await model.execute({ op: 'conveyor', run: true })).toEqual({ ok: true, data: {} });
    await eventually(() => events.some((e) => e.type === 'drop'), { what: 'the drop' });
    expect(events).toContainEqual({ type: 'drop', bin: 'plastic' });
    expect(events).toContainEqual({ type: 'fill', bin: 'plastic', percent: 1 });
    expect(events).toContainEqual({ type: 'item', present: false });
    expect(model.fillMl.plastic).toBe(600);
    expect(model.intake).toBeNull();
  });

  it('sends a rejected item back without filling anything', async () => {
    fresh();
    model.insertItem('other', 80);
    await model.execute({ op: 'gate', bin: 'reject' });
    await model.execute({ op: 'conveyor', run: true });
    await eventually(() => events.some((e) => e.type === 'drop'), { what: 'the drop' });
    expect(events).toContainEqual({ type: 'drop', bin: 'reject' });
    expect(events.some((e) => e.type === 'fill')).toBe(false);
  });

  it('reports no drop when the item is pulled back out', async () => {
    // Fake clock: the model is all timers, so running every one of them proves no drop can still come.
    vi.useFakeTimers();
    fresh();
    model.insertItem('can');
    model.setFault('pulled_back', true);
    await model.execute({ op: 'conveyor', run: true });
    await vi.runAllTimersAsync();
    expect(vi.getTimerCount()).toBe(0);
    expect(events).toContainEqual({ type: 'item', present: false });
    expect(events.some((e) => e.type === 'drop')).toBe(false);
    expect(events.some((e) => e.type === 'fault')).toBe(false);
  });
});

describe('MachineModel refusals and faults', () => {
  it('refuses insertions it cannot take, with a reason', () => {
    fresh();
    model.insertItem('glass');
    expect(() => model.insertItem('can')).toThrow(InsertRefused);
    fresh();
    model.doorLocked = true;
    expect(() => model.insertItem('can')).toThrow(/door is locked/);
  });

  it('NAKs the gate to a full bin and while the conveyor runs', async () => {
    fresh();
    model.setBinPercent('can', 100);
    expect(events).toContainEqual({ type: 'fill', bin: 'can', percent: 100 });
    expect(await model.execute({ op: 'gate', bin: 'can' })).toEqual({ ok: false, code: 'BIN_FULL' });
    model.conveyorRunning = true;
    expect(await model.execute({ op: 'gate', bin: 'glass' })).toEqual({ ok: false, code: 'BUSY' });
  });

  it('reports a jam, refuses the conveyor until cleared', async () => {
    fresh();
    model.setFault('jam', true);
    expect(events).toContainEqual({ type: 'fault', code: 'jam', active: true });
    expect(await model.execute({ op: 'conveyor', run: true })).toEqual({ ok: false, code: 'JAM' });
    expect(model.statusData().faults).toBe('jam');
    model.setFault('jam', false);
    expect(events).toContainEqual({ type: 'fault', code: 'jam', active: false });
    expect(await model.execute({ op: 'conveyor', run: true })).toEqual({ ok: true, data: {} });
  });

  it('a stuck intake sensor reads as an item and blocks insertions', () => {
    fresh();
    model.setFault('sensor_stuck', true);
    expect(events).toEqual([{ type: 'fault', code: 'sensor_stuck', active: true }, { type: 'item', present: true }]);
    expect(() => model.insertItem('pet')).toThrow(/sensor is stuck/);
  });

  it('tares only an empty platform and reports state in STAT fields', async () => {
    fresh();
    model.insertItem('pet');
    expect(await model.execute({ op: 'tare' })).toEqual({ ok: false, code: 'ITEM_PRESENT' });
    const status = model.statusData();
    expect(status).toMatchObject({ conv: 'stop', gate: 'plastic', lock: 'unlocked', item: '1', fill: '0/0/0/0', faults: 'none' });
    await model.execute({ op: 'door', locked: true });
    expect(events).toContainEqual({ type: 'door', open: false, locked: true });
    expect(model.statusData().lock).toBe('locked');
  });
});
