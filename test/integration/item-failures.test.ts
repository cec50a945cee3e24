/**
 * Every way an item can fail once it is in the intake, through the real wiring (setupOutbox, setupHardware in
 * serial mode, setupSession) against the controller simulator on a socat pty: each ends with one typed outcome
 * in the session, the item handed back whenever it is still in the intake, and — when even the hand-back
 * fails — the machine out of service with `item_stuck` until the intake is clear.
 * The link-loss and second-item cases, which need a classifier the test holds, are in item-failures-link.test.ts.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ControllerEvent } from '../../src/hardware/protocol/index.js';
import type { Classification, ItemClassifier } from '../../src/domain/ports.js';
import { eventually } from '../helpers/eventually.js';
import { makeTempDir } from '../helpers/outbox.js';
import { describeWithSocat } from '../helpers/pty.js';
import { startControllerRig, startMiniKiosk, WeightClassifier, type ControllerRig, type MiniKiosk, type MiniKioskOptions } from './custody-rig.js';

let rig: ControllerRig;
let dataDir: string;
let removeDir: () => Promise<void>;
const kiosks: MiniKiosk[] = [];
let events: ControllerEvent[];

beforeEach(async () => {
  ({ dir: dataDir, cleanup: removeDir } = await makeTempDir('rvm-item-fail-'));
  rig = await startControllerRig();
  events = [];
  rig.sim.onEvent((event) => events.push(event));
});
afterEach(async () => {
  for (const kiosk of kiosks.splice(0)) await kiosk.stop().catch(() => undefined);
  await rig?.stop();
  await removeDir();
});

async function kiosk(options: Partial<MiniKioskOptions> = {}): Promise<MiniKiosk> {
  const k = await startMiniKiosk({ dataDir, ptyPath: rig.pair.hostPath, dropTimeoutMs: 1_500, ...options });
  kiosks.push(k);
  return k;
}

const item = async (k: MiniKiosk, n: number) => {
  await eventually(() => k.flow.current.items.length >= n && k.flow.current.phase === 'active', { what: `item ${n} settled by the session`, timeoutMs: 15_000 });
  return k.flow.current.items[n - 1]!;
};
const drops = (bin: string) => events.filter((e): e is Extract<ControllerEvent, { type: 'drop' }> => e.type === 'drop' && e.bin === bin);
const status = (k: MiniKiosk) => k.ctx.core.current('system.status')!;

describeWithSocat('item failures against the controller simulator', () => {
  it('gate NAK BIN_FULL: hands the item back as material_unavailable, refuses only that material until the bin is emptied', async () => {
    const k = await kiosk();
    rig.sim.model.setBinPercent('glass', 100, false); // full, but the host was never told
    rig.sim.model.insertItem('glass');
    expect(await item(k, 1)).toMatchObject({ outcome: 'material_unavailable', material: 'glass', returned: true, points: 0 });
    // The return is acknowledged once the conveyor runs; the item lands in the user's tray a moment later.
    await eventually(() => drops('reject').length === 1 && rig.sim.model.intake === null, { what: 'the bottle back in the tray' });
    expect(status(k)).toMatchObject({ state: 'ready', materials: { glass: { accepting: false, reason: 'bin_full' }, pet: { accepting: true } } });
    // The next glass bottle is handed back before the gate moves; PET still goes in.
    rig.sim.model.insertItem('glass');
    expect(await item(k, 2)).toMatchObject({ outcome: 'material_unavailable', returned: true });
    await eventually(() => rig.sim.model.intake === null, { what: 'the second bottle back in the tray' });
    rig.sim.model.insertItem('pet');
    expect(await item(k, 3)).toMatchObject({ outcome: 'accepted', points: 10 });
    expect(k.creditIds()).toHaveLength(1);
    // The technician empties the bin; the controller reports the level and glass is accepted again.
    rig.sim.model.setBinPercent('glass', 0);
    await eventually(() => status(k).materials.glass.accepting, { what: 'glass accepted again' });
  });

  it('classifier throws: detector_error, handed back, the next item works', async () => {
    let fail = true;
    const weights = new WeightClassifier();
    const classifier: ItemClassifier = {
      classify: async (w): Promise<Classification> => {
        if (fail) throw new Error('inference crashed');
        return weights.classify(w);
      },
    };
    const k = await kiosk({ classifier });
    rig.sim.model.insertItem('pet');
    expect(await item(k, 1)).toMatchObject({ outcome: 'detector_error', returned: true });
    await eventually(() => drops('reject').length === 1, { what: 'the item back in the tray' });
    fail = false;
    rig.sim.model.insertItem('pet');
    expect(await item(k, 2)).toMatchObject({ outcome: 'accepted' });
  });

  it('return fails: item_stuck takes the machine out of service until the intake is reported clear', async () => {
    const k = await kiosk();
    rig.sim.model.setFault('return_blocked', true);
    rig.sim.model.insertItem('other'); // refused by the classifier, so it must go back
    expect(await item(k, 1)).toMatchObject({ outcome: 'item_stuck', returned: false });
    expect(status(k)).toMatchObject({ state: 'out_of_service', reasons: [{ code: 'item_stuck', detail: expect.stringMatching(/NAK CHUTE_BLOCKED/) }] });
    await expect(k.ctx.core.call('session.finish', {}).then(() => k.ctx.core.call('session.start', { mode: 'guest' }))).rejects.toMatchObject({ reason: 'not_accepting' });
    // A technician clears the chute and takes the item out: the controller reports the beam clear.
    rig.sim.model.setFault('return_blocked', false);
    rig.sim.model.takeItem();
    await eventually(() => status(k).state === 'ready', { what: 'back in service once the intake is clear' });
    expect(status(k).reasons).toEqual([]);
  });

  it('drop into the wrong bin: wrong_bin, nothing credited, a notice names the bins for the technician', async () => {
    const k = await kiosk();
    rig.sim.model.setFault('wrong_bin', true);
    rig.sim.model.insertItem('pet');
    expect(await item(k, 1)).toMatchObject({ outcome: 'wrong_bin', material: 'pet', points: 0, returned: false });
    expect(drops('can')).toHaveLength(1); // the worn gate sent the bottle to the can bin
    expect(k.creditIds()).toEqual([]);
    expect(status(k).notices).toContainEqual({ code: 'item_wrong_bin', detail: expect.stringMatching(/pet → plastic.*went into the can bin instead; NOT credited/) });
    expect(status(k).state).toBe('ready');
  });

  it('item pulled back before the drop: pulled_back, nothing credited, nothing handed back', async () => {
    const k = await kiosk();
    rig.sim.model.setFault('pulled_back', true);
    rig.sim.model.insertItem('pet');
    expect(await item(k, 1)).toMatchObject({ outcome: 'pulled_back', returned: false, points: 0 });
    expect(k.creditIds()).toEqual([]);
    expect(drops('reject')).toEqual([]);
    rig.sim.model.insertItem('can');
    expect(await item(k, 2)).toMatchObject({ outcome: 'accepted', points: 12 });
  });
});
