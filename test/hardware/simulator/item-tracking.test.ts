/**
 * The controller simulator's side of item custody: SORT tags the item with the host's id, the DROP names
 * it, WHERE answers from the item in transit or the ring of recent drops, a sorted item's move is finished
 * when the host dies, and the simulator can forge and replay frames for the tests that prove neither
 * credits anything.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MachineDriver } from '../../../src/hardware/driver/machine-driver.js';
import { createMachinePort } from '../../../src/hardware/machine-port.js';
import { encodeFrame, hostBody, rvm1Host, type ControllerEvent, type HostIncoming } from '../../../src/hardware/protocol/index.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS, type SimulatorOptions } from '../../../src/hardware/simulator/controller-simulator.js';
import { RECENT_DROPS } from '../../../src/hardware/simulator/machine-model.js';
import { INSTANT_TIMINGS } from '../../../src/hardware/simulator/sim-settings.js';
import { createMemoryPair } from '../../../src/hardware/transport/memory-link.js';
import { eventually } from '../../helpers/eventually.js';
import { fastDriverOptions } from '../fixtures.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function simulator(options: Partial<SimulatorOptions> = {}): ControllerSimulator {
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, heartbeatMs: 50, timings: INSTANT_TIMINGS, ...options });
  cleanups.push(() => sim.stop());
  return sim;
}

/** A host end read by hand: every decoded frame, and a way to confirm a DROP. */
function hostEnd(sim: ControllerSimulator) {
  const { host, device } = createMemoryPair();
  sim.attach(device);
  const decoder = rvm1Host.createDecoder();
  const frames: HostIncoming[] = [];
  host.onData((chunk) => frames.push(...decoder.push(chunk)));
  const drops = () => frames.flatMap((f) => (f.kind === 'event' && f.event.type === 'drop' ? [{ seq: f.seq as number, event: f.event }] : []));
  return { host, device, frames, drops };
}

describe('controller simulator: items named by id', () => {
  it('refuses a tagged sort with nothing in the intake, so a forged item cannot be dropped', async () => {
    const sim = simulator();
    await expect(sim.model.execute({ op: 'sort', bin: 'plastic', item: 'item-1' })).resolves.toEqual({ ok: false, code: 'NO_ITEM' });
    expect(sim.model.fillMl.plastic).toBe(0);
  });

  it('answers WHERE: unknown, then in transit while the item moves, then dropped into its bin', async () => {
    vi.useFakeTimers();
    cleanups.unshift(() => vi.useRealTimers());
    const sim = simulator({ timings: { ...INSTANT_TIMINGS, gateMs: 20, conveyorMs: 200 } });
    const events: ControllerEvent[] = [];
    sim.onEvent((e) => events.push(e));
    sim.model.insertItem('can');
    expect(sim.model.whereIs('item-7')).toEqual({ state: 'unknown' });
    const sorted = sim.model.execute({ op: 'sort', bin: 'can', item: 'item-7' });
    // Known from the moment the SORT arrives, before the gate is even in position.
    expect(sim.model.whereIs('item-7')).toEqual({ state: 'transit' });
    await vi.advanceTimersByTimeAsync(20);
    await expect(sorted).resolves.toMatchObject({ ok: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(await sim.model.execute({ op: 'where', item: 'item-7' })).toEqual({ ok: true, data: { item: 'item-7', state: 'transit' } });
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toContainEqual({ type: 'drop', bin: 'can', item: 'item-7' });
    expect(await sim.model.execute({ op: 'where', item: 'item-7' })).toEqual({ ok: true, data: { item: 'item-7', state: 'dropped', bin: 'can' } });
  });

  it('forgets the tag of a sort the gate refused, and of an item pulled back', async () => {
    const sim = simulator({ timings: { ...INSTANT_TIMINGS, conveyorMs: 40 } });
    sim.model.setBinPercent('glass', 100);
    sim.model.insertItem('glass');
    await expect(sim.model.execute({ op: 'sort', bin: 'glass', item: 'full-1' })).resolves.toEqual({ ok: false, code: 'BIN_FULL' });
    expect(sim.model.whereIs('full-1')).toEqual({ state: 'unknown' });
    sim.model.setBinPercent('glass', 0);
    sim.model.setFault('pulled_back', true);
    await expect(sim.model.execute({ op: 'sort', bin: 'glass', item: 'pulled-1' })).resolves.toMatchObject({ ok: true });
    await eventually(() => sim.model.intake === null, { what: 'the item pulled back out' });
    expect(sim.model.whereIs('pulled-1')).toEqual({ state: 'unknown' });
  });

  it(`remembers the last ${RECENT_DROPS} dropped ids, and nothing after a reboot`, async () => {
    vi.useFakeTimers();
    cleanups.unshift(() => vi.useRealTimers());
    const sim = simulator();
    for (let n = 0; n <= RECENT_DROPS; n++) {
      sim.model.setBinPercent('plastic', 0); // empty it now and then: the bin takes only 100 bottles
      sim.model.insertItem('pet');
      await sim.model.execute({ op: 'sort', bin: 'plastic', item: `id-${n}` });
      await vi.advanceTimersByTimeAsync(1); // the (instant) move ends on the next timer tick
    }
    expect(sim.model.whereIs('id-0')).toEqual({ state: 'unknown' });
    expect(sim.model.whereIs('id-1')).toEqual({ state: 'dropped', bin: 'plastic' });
    expect(sim.model.whereIs(`id-${RECENT_DROPS}`)).toEqual({ state: 'dropped', bin: 'plastic' });
    sim.reboot();
    expect(sim.model.whereIs(`id-${RECENT_DROPS}`)).toEqual({ state: 'unknown' });
  });

  it('finishes a sorted item\'s move when the host dies, and repeats its DROP to the host that comes back', async () => {
    vi.useFakeTimers();
    cleanups.unshift(() => vi.useRealTimers());
    const sim = simulator({ hostDeadAfterMs: 100, dropResendMs: 50, timings: { ...INSTANT_TIMINGS, conveyorMs: 400 } });
    const first = hostEnd(sim);
    sim.model.insertItem('pet');
    await sim.model.execute({ op: 'sort', bin: 'plastic', item: 'moving-1' });
    // The host dies: its end of the cable goes, and nothing more comes from it.
    sim.detach();
    await vi.advanceTimersByTimeAsync(450); // past the host-dead limit and the end of the move
    expect(sim.model.intake).toBeNull();
    expect(sim.model.fillMl.plastic).toBeGreaterThan(0);
    expect(first.drops()).toEqual([]);
    // A restarted host plugs in: the DROP naming the item comes, again and again, until confirmed.
    const second = hostEnd(sim);
    await vi.advanceTimersByTimeAsync(120);
    const drops = second.drops();
    expect(drops.length).toBeGreaterThanOrEqual(2);
    expect(new Set(drops.map((d) => JSON.stringify(d)))).toEqual(new Set([JSON.stringify({ seq: drops[0]!.seq, event: { type: 'drop', bin: 'plastic', item: 'moving-1' } })]));
    await second.host.write(encodeFrame(hostBody({ seq: 9, kind: 'eventAck', eventSeq: drops[0]!.seq })));
    await vi.advanceTimersByTimeAsync(1);
    const settled = second.drops().length;
    await vi.advanceTimersByTimeAsync(200);
    expect(second.drops().length).toBe(settled);
  });

  it('still stops an empty conveyor run when the host goes quiet', async () => {
    const sim = simulator({ hostDeadAfterMs: 100 });
    hostEnd(sim);
    sim.model.conveyorRunning = true;
    await eventually(() => !sim.model.conveyorRunning, { what: 'the fail-safe stop' });
  });

  it('forges checksummed frames and replays an earlier one byte for byte', async () => {
    const sim = simulator({ heartbeatMs: 0 });
    const end = hostEnd(sim);
    sim.forge({ type: 'item', present: true });
    sim.forge({ type: 'drop', bin: 'plastic', item: 'forged-1' });
    for (let n = 0; n < 70; n++) sim.forge({ type: 'temperature', celsius: 30 });
    const replayed = sim.replay();
    expect(replayed).toMatchObject({ event: { type: 'drop', item: 'forged-1' }, framesSince: 70 });
    await eventually(() => end.drops().length === 2, { what: 'the forged DROP and its replay' });
    const [original, again] = end.drops();
    expect(again).toEqual(original);
    expect(end.frames.filter((f) => f.kind === 'malformed')).toEqual([]);
  });
});

describe('MachinePort over the simulator: sorting with an id', () => {
  async function port(sim: ControllerSimulator) {
    const driver = new MachineDriver(
      fastDriverOptions(async () => {
        const { host, device } = createMemoryPair();
        sim.attach(device);
        return host;
      }),
    );
    cleanups.push(() => driver.stop());
    driver.start();
    expect(await driver.waitConnected(5000)).toBe(true);
    return createMachinePort(driver);
  }

  it('sends SORT with the id, hears the DROP name it, and can ask where it went', async () => {
    const sim = simulator();
    const machine = await port(sim);
    expect(machine.tracksItems).toBe(true);
    expect(machine.connected).toBe(true);
    const drops: Array<[string, string | undefined]> = [];
    machine.on('itemDropped', (bin, itemId) => drops.push([bin, itemId]));
    sim.model.insertItem('glass');
    await expect(machine.intakeOccupied()).resolves.toBe(true);
    await machine.sortTo('glass', 'glass-1');
    await eventually(() => drops.length === 1, { what: 'the drop' });
    expect(drops).toEqual([['glass', 'glass-1']]);
    await expect(machine.whereIs('glass-1')).resolves.toEqual({ state: 'dropped', bin: 'glass' });
    await expect(machine.whereIs('never-sorted')).resolves.toEqual({ state: 'unknown' });
    await expect(machine.intakeOccupied()).resolves.toBe(false);
    await expect(machine.sortTo('glass', 'ghost-1')).rejects.toMatchObject({ code: 'nak', nakCode: 'NO_ITEM' });
  });

  it('tells custody when the link comes back', async () => {
    const sim = simulator();
    const machine = await port(sim);
    let ups = 0;
    machine.onLinkUp(() => ups++);
    sim.dropLink(1700);
    await eventually(() => ups === 1, { what: 'the link to come back up', timeoutMs: 8000 });
  });
});
