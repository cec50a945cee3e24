/**
 * Item custody through the real wiring (setupOutbox, setupHardware in serial mode, setupSession) against
 * the controller simulator on a socat pty that the test owns, so the controller outlives a kiosk:
 * - an item that reached its bin after the kiosk went away mid-move is credited by the next kiosk (finding 1);
 * - an item left in the intake at start is handed back, said so, and the next insert works (finding 7);
 * - frames forged with a valid checksum (ITEM + WT + DROP, empty intake) credit nothing (finding 11);
 * - a DROP replayed after 70 other frames — past the driver's 64-number repeat window — while another item
 *   goes to the same bin credits nothing (finding 11).
 * The real kill -9 version of the first is custody-kill.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ControllerEvent } from '../../src/hardware/protocol/index.js';
import { eventually } from '../helpers/eventually.js';
import { makeTempDir } from '../helpers/outbox.js';
import { describeWithSocat } from '../helpers/pty.js';
import { startControllerRig, startMiniKiosk, type ControllerRig, type MiniKiosk, type MiniKioskOptions } from './custody-rig.js';

let rig: ControllerRig;
let dataDir: string;
let removeDir: () => Promise<void>;
const kiosks: MiniKiosk[] = [];
let trace: string[];
let events: ControllerEvent[];

beforeEach(async () => {
  ({ dir: dataDir, cleanup: removeDir } = await makeTempDir('rvm-custody-it-'));
});
afterEach(async () => {
  for (const kiosk of kiosks.splice(0)) await kiosk.stop().catch(() => undefined);
  await rig?.stop();
  await removeDir();
});

async function controller(timings: Parameters<typeof startControllerRig>[0] = {}): Promise<ControllerRig> {
  rig = await startControllerRig(timings);
  trace = [];
  events = [];
  rig.sim.onTrace((line) => trace.push(line));
  rig.sim.onEvent((event) => events.push(event));
  return rig;
}

async function kiosk(options: Partial<MiniKioskOptions> = {}): Promise<MiniKiosk> {
  const k = await startMiniKiosk({ dataDir, ptyPath: rig.pair.hostPath, dropTimeoutMs: 1_500, ...options });
  kiosks.push(k);
  return k;
}

const settledItems = (k: MiniKiosk, n: number) =>
  eventually(() => k.flow.current.items.length >= n && k.flow.current.phase === 'active', { what: `${n} item(s) settled by the session`, timeoutMs: 15_000 });

/** The command the kiosk sends to move an item to a bin: SORT (protocol 2) — or, on older code, the conveyor. */
const sortSeen = (after = 0) => eventually(() => trace.slice(after).some((l) => /<- (sort (plastic|can|glass)|conv run)/.test(l)), { what: 'the kiosk sending the item on its way' });

const binDrops = () => events.filter((e): e is Extract<ControllerEvent, { type: 'drop' }> => e.type === 'drop' && e.bin !== 'reject');

describeWithSocat('item custody through the kiosk wiring', () => {
  it('credits an item that reached its bin after the kiosk went away mid-move, once, by its id', async () => {
    await controller({ conveyorMs: 400 });
    const first = await kiosk();
    rig.sim.model.insertItem('pet');
    await sortSeen();
    // The kiosk is gone while the item is on the belt; the conveyor finishes the move without it.
    await first.stop();
    kiosks.splice(kiosks.indexOf(first), 1);
    expect(first.creditIds()).toEqual([]);
    await eventually(() => binDrops().length === 1, { what: 'the controller to drop the item into its bin' });

    const second = await kiosk();
    await eventually(() => second.creditIds().length === 1, { what: 'the restarted kiosk to credit the dropped item' });
    const [drop] = binDrops();
    expect(second.creditIds()).toEqual([drop!.item]);
    const [credit] = second.outbox.preview({ limit: 10 }).records;
    expect(credit).toMatchObject({ material: 'pet', points: 10, weightGrams: expect.closeTo(24, 0) });
  });

  it('hands back an item left in the intake at start, says so, and takes the next one', async () => {
    await controller();
    rig.sim.model.insertItem('glass'); // left there by a kiosk that died while classifying it
    const k = await kiosk();
    await eventually(() => rig.sim.model.intake === null, { what: 'the leftover item handed back' });
    expect(binDrops()).toEqual([]);
    expect(k.ctx.core.current('system.status')?.notices).toContainEqual({ code: 'intake_item_returned', detail: expect.stringMatching(/left in the intake/) });
    expect(k.ctx.status.state).toBe('ready');
    rig.sim.model.insertItem('can');
    await settledItems(k, 1);
    expect(k.flow.current.items[0]).toMatchObject({ accepted: true, material: 'can' });
    expect(k.creditIds()).toHaveLength(1);
  });

  it('credits nothing for ITEM, WT and DROP forged with nothing in the intake', async () => {
    await controller();
    const k = await kiosk();
    rig.sim.forge({ type: 'item', present: true });
    rig.sim.forge({ type: 'weight', grams: 24.1 });
    await sortSeen();
    rig.sim.forge({ type: 'drop', bin: 'plastic' });
    rig.sim.forge({ type: 'drop', bin: 'plastic', item: randomUUID() });
    await settledItems(k, 1);
    expect(k.flow.current.items[0]).toMatchObject({ accepted: false, points: 0 });
    expect(k.flow.current.totalPoints).toBe(0);
    expect(k.creditIds()).toEqual([]);
    // A real item afterwards is credited as usual.
    rig.sim.model.insertItem('pet');
    await settledItems(k, 2);
    expect(k.creditIds()).toEqual([binDrops()[0]!.item]);
  });

  it('credits nothing for a DROP replayed after 70 other frames while another item goes to the same bin', async () => {
    await controller({ conveyorMs: 400 });
    const k = await kiosk();
    rig.sim.model.insertItem('pet');
    await settledItems(k, 1);
    expect(k.creditIds()).toHaveLength(1);

    // The second bottle is taken back half-way: it never drops. Meanwhile the first one's DROP comes again.
    rig.sim.model.setFault('pulled_back', true);
    const mark = trace.length;
    rig.sim.model.insertItem('pet');
    await sortSeen(mark);
    for (let n = 0; n < 70; n++) rig.sim.forge({ type: 'temperature', celsius: 30 });
    const replayed = rig.sim.replay((f) => f.event.type === 'drop' && f.event.bin === 'plastic');
    expect(replayed?.framesSince).toBeGreaterThanOrEqual(70);
    await settledItems(k, 2);
    expect(k.flow.current.items[1]).toMatchObject({ accepted: false, outcome: 'pulled_back', returned: false });
    expect(k.creditIds()).toHaveLength(1);
    expect(k.flow.current.totalPoints).toBe(10);
  });
});
