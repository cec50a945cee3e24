/**
 * Driver and simulator over a real socat pseudo-terminal with the real serialport binding on both ends.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMachinePort } from '../../../src/hardware/machine-port.js';
import type { MachineCommand } from '../../../src/hardware/protocol/index.js';
import { describeWithSocat } from '../../helpers/pty.js';
import { eventually } from '../../helpers/eventually.js';
import { startPtyRig, type PtyRig } from '../pty-rig.js';

const EVERY_COMMAND: MachineCommand[] = [
  { op: 'ping' },
  { op: 'status' },
  { op: 'conveyor', run: true },
  { op: 'conveyor', run: false },
  { op: 'gate', bin: 'can' },
  { op: 'gate', bin: 'glass' },
  { op: 'gate', bin: 'reject' },
  { op: 'gate', bin: 'plastic' },
  { op: 'door', locked: true },
  { op: 'door', locked: false },
  { op: 'lights', on: true },
  { op: 'lights', on: false },
  { op: 'buzzer', ms: 100 },
  { op: 'tare' },
];

describeWithSocat('rvm1 over a socat pty pair', () => {
  let rig: PtyRig;
  beforeAll(async () => {
    rig = await startPtyRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('round-trips every command, and the simulator really did them', async () => {
    for (const command of EVERY_COMMAND) {
      const data = await rig.driver.send(command);
      if (command.op === 'status') expect(data).toMatchObject({ conv: 'stop', fill: expect.stringMatching(/^\d+\/\d+\/\d+\/\d+$/) });
      if (command.op === 'gate') expect(rig.sim.model.gate).toBe(command.bin);
      if (command.op === 'door') expect(rig.sim.model.doorLocked).toBe(command.locked);
      if (command.op === 'lights') expect(rig.sim.model.lightsOn).toBe(command.on);
    }
    expect(rig.driver.counters).toMatchObject({ malformed: 0, naks: 0, timeouts: 0 });
    expect(rig.driver.state).toMatchObject({ status: 'connected', transport: 'pty', firmware: expect.stringContaining('rvm-sim') });
  });

  it('runs an item cycle: present → weight → gate → drop, and the bin level reaches hardware.bins', async () => {
    const port = createMachinePort(rig.driver);
    const seen: string[] = [];
    port.on('itemPresent', () => seen.push('present'));
    port.on('weight', (grams) => seen.push(grams > 100 ? 'weight' : 'empty'));
    port.on('itemDropped', (bin) => seen.push(`dropped ${bin}`));
    await rig.core.call('hardware.simulateInsert', { kind: 'glass' });
    await eventually(() => seen.includes('weight'), { what: 'the weight reading' });
    await port.sortTo('glass');
    await eventually(() => seen.includes('dropped glass'), { what: 'the drop confirmation' });
    // The platform reads empty again as the item leaves it, before it lands in the bin.
    expect(seen).toEqual(['present', 'weight', 'empty', 'dropped glass']);
    await eventually(() => rig.core.current('hardware.bins')?.bins.glass.percent === 1, { what: 'the glass bin level' });
    expect(rig.sim.model.fillMl.glass).toBe(330);
  });

  it('carries a bin-full reading to hardware.bins and refuses only that material, and its clearing', async () => {
    await rig.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'can' });
    await eventually(() => rig.core.current('hardware.bins')?.bins.can.full === true, { what: 'can bin full' });
    const status = rig.core.current('system.status');
    expect(status?.materials).toEqual({ pet: { accepting: true, reason: null }, can: { accepting: false, reason: 'bin_full' }, glass: { accepting: true, reason: null } });
    // One full bin does not stop the machine: PET and glass are still taken.
    expect(status?.state).toBe('ready');
    expect(status?.reasons).toEqual([]);
    await expect(rig.driver.send({ op: 'gate', bin: 'can' })).rejects.toMatchObject({ code: 'nak', nakCode: 'BIN_FULL' });
    await rig.core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'can', active: false });
    await eventually(() => rig.core.current('system.status')?.materials.can.accepting === true, { what: 'cans accepted again' });
  });

  it('raises hardware_fault for a jam and clears it', async () => {
    await rig.core.call('hardware.simulateFault', { fault: 'jam' });
    await eventually(() => rig.status.has('hardware_fault'), { what: 'the jam to be reported' });
    expect(rig.core.current('system.status')?.reasons).toContainEqual({ code: 'hardware_fault', detail: 'jam' });
    const test = await rig.core.call('hardware.test', { action: 'conveyor' });
    expect(test).toMatchObject({ ok: false, detail: expect.stringMatching(/JAM/) });
    await rig.core.call('hardware.simulateFault', { fault: 'jam', active: false });
    await eventually(() => !rig.status.has('hardware_fault'), { what: 'the jam to clear' });
  });

  it('passes every technician test through the contract', async () => {
    for (const action of ['ping', 'conveyor', 'gate', 'door_lock', 'door_unlock', 'lights', 'buzzer', 'tare'] as const) {
      const result = await rig.core.call('hardware.test', { action });
      expect(result, action).toMatchObject({ action, ok: true });
    }
    const status = await rig.core.call('hardware.status', {});
    expect(status.link).toMatchObject({ status: 'connected', transport: 'pty', simulated: true });
    expect(status.link.counters.framesIn).toBeGreaterThan(0);
  });

  it('recovers from socat being killed and restarted, without restarting the core', async () => {
    const pid = rig.pair.pid as number;
    process.kill(pid, 'SIGKILL');
    await eventually(() => rig.driver.state.status === 'reconnecting', { what: 'the link loss to be noticed' });
    await eventually(() => rig.status.has('link_lost'), { what: 'link_lost on the status board' });
    // Queued while the link is down: one may wait, one may not.
    const waits = rig.driver.send({ op: 'gate', bin: 'can' });
    const impatient = rig.driver.send({ op: 'lights', on: true }, { queueWaitMs: 50 });
    await expect(impatient).rejects.toMatchObject({ code: 'link_down', message: expect.stringMatching(/controller link is (reconnecting|lost) since .*'light on' was not sent/) });
    await rig.pair.start();
    await expect(waits).resolves.toEqual({});
    expect(rig.sim.model.gate).toBe('can');
    await eventually(() => !rig.status.has('link_lost'), { what: 'link_lost to clear' });
    expect(rig.driver.counters.reconnects).toBeGreaterThanOrEqual(1);
    expect(rig.core.current('hardware.state')).toMatchObject({ status: 'connected' });
    expect(rig.events.some((e) => e.name === 'hardware.state' && (e.payload as { status: string }).status === 'reconnecting')).toBe(true);
    await expect(rig.core.call('hardware.test', { action: 'ping' })).resolves.toMatchObject({ ok: true });
  });
});

describeWithSocat('myrvm-legacy over a socat pty pair', () => {
  let rig: PtyRig;
  beforeAll(async () => {
    rig = await startPtyRig('myrvm-legacy', { deadAfterMs: 2000 });
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('speaks the ESP32 lines for the commands the firmware has', async () => {
    for (const command of EVERY_COMMAND.filter((c) => rig.driver.dialect.capabilities.ops.has(c.op))) {
      await expect(rig.driver.send(command)).resolves.toEqual({});
    }
    expect(rig.sim.model.gate).toBe('plastic');
    expect(rig.driver.counters).toMatchObject({ malformed: 0, timeouts: 0 });
    const conveyor = await rig.core.call('hardware.test', { action: 'conveyor' });
    expect(conveyor).toMatchObject({ ok: false, detail: expect.stringMatching(/no 'conv run' command/) });
  });
});
