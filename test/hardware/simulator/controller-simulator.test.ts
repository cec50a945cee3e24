import { afterEach, describe, expect, it, vi } from 'vitest';
import { MachineDriver } from '../../../src/hardware/driver/machine-driver.js';
import { createMachinePort } from '../../../src/hardware/machine-port.js';
import { encodeFrame, hostBody, legacyHost, rvm1Host, type HostIncoming, type MachineCommand } from '../../../src/hardware/protocol/index.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS, type SimulatorOptions } from '../../../src/hardware/simulator/controller-simulator.js';
import { INSTANT_TIMINGS } from '../../../src/hardware/simulator/sim-settings.js';
import type { LinkOpener } from '../../../src/hardware/transport/link.js';
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

/** Each open plugs a fresh in-memory cable between the driver and the simulator. */
function inMemory(sim: ControllerSimulator): LinkOpener {
  return async () => {
    const { host, device } = createMemoryPair();
    sim.attach(device);
    return host;
  };
}

async function driverFor(sim: ControllerSimulator, overrides: Parameters<typeof fastDriverOptions>[1] = {}): Promise<MachineDriver> {
  const driver = new MachineDriver(fastDriverOptions(inMemory(sim), overrides));
  cleanups.push(() => driver.stop());
  driver.start();
  expect(await driver.waitConnected(5000)).toBe(true);
  return driver;
}

describe('ControllerSimulator on an in-memory link', () => {
  it('answers a retried command from its cache instead of moving twice', async () => {
    const sim = simulator({ timings: { ...INSTANT_TIMINGS, gateMs: 150 } });
    const executed: MachineCommand[] = [];
    const execute = sim.model.execute.bind(sim.model);
    sim.model.execute = (command) => {
      executed.push(command);
      return execute(command);
    };
    const driver = await driverFor(sim);
    await driver.send({ op: 'gate', bin: 'glass' }, { timeoutMs: 40, retries: 8 });
    expect(driver.counters.retries).toBeGreaterThan(0);
    expect(executed.filter((c) => c.op === 'gate')).toHaveLength(1);
    expect(sim.model.gate).toBe('glass');
  });

  it('repeats a DROP until the host confirms it', async () => {
    // Fake clock: the resend interval, the model's timers and the memory link's setImmediate all run on it,
    // so "no more drops after the ack" is checked over 100 simulated ms, not a real sleep.
    vi.useFakeTimers();
    cleanups.unshift(() => vi.useRealTimers());
    const sim = simulator({ dropResendMs: 10 });
    const { host, device } = createMemoryPair();
    sim.attach(device);
    const decoder = rvm1Host.createDecoder();
    const drops: HostIncoming[] = [];
    host.onData((chunk) => drops.push(...decoder.push(chunk).filter((i) => i.kind === 'event' && i.event.type === 'drop')));
    sim.model.insertItem('can');
    await sim.model.execute({ op: 'conveyor', run: true });
    await vi.advanceTimersByTimeAsync(35); // the drop at once, then resent every 10 ms
    expect(drops.length).toBeGreaterThanOrEqual(3);
    const seq = drops[0]?.kind === 'event' ? drops[0].seq : null;
    expect(new Set(drops.map((d) => (d.kind === 'event' ? d.seq : -1)))).toEqual(new Set([seq]));
    await host.write(encodeFrame(hostBody({ seq: 1, kind: 'eventAck', eventSeq: seq as number })));
    await vi.advanceTimersByTimeAsync(1); // the ack crosses the link
    const settled = drops.length;
    await vi.advanceTimersByTimeAsync(100); // ten resend intervals
    expect(drops.length).toBe(settled);
  });

  it('survives its own garbage: the driver counts it and carries on', async () => {
    const sim = simulator();
    const driver = await driverFor(sim);
    for (let i = 0; i < 20; i++) sim.sendGarbage(64);
    await expect(driver.send({ op: 'ping' })).resolves.toEqual({});
    await eventually(() => driver.counters.malformed > 0, { what: 'malformed frames to be counted' });
    expect(driver.state.status).toBe('connected');
  });

  it('goes silent on a link drop; the driver notices and reconnects', async () => {
    const sim = simulator();
    const driver = await driverFor(sim, { deadAfterMs: 200 });
    sim.dropLink(500);
    await eventually(() => driver.state.status === 'reconnecting', { what: 'the dead link' });
    await eventually(() => driver.state.status === 'connected', { what: 'the reconnect' });
    expect(driver.counters.reconnects).toBeGreaterThanOrEqual(1);
    await expect(driver.send({ op: 'status' })).resolves.toMatchObject({ conv: 'stop' });
  });

  it('stops the conveyor when the host goes quiet', async () => {
    const sim = simulator({ hostDeadAfterMs: 100 });
    const { device } = createMemoryPair();
    sim.attach(device);
    // Instant timings would end the run at once; hold it running as if an item were still travelling.
    sim.model.conveyorRunning = true;
    await eventually(() => !sim.model.conveyorRunning, { what: 'the fail-safe stop' });
  });

  it('drives a full item cycle through the MachinePort', async () => {
    const sim = simulator();
    const port = createMachinePort(await driverFor(sim));
    const seen: string[] = [];
    port.on('itemPresent', () => seen.push('present'));
    port.on('weight', (grams) => seen.push(`weight ${Math.round(grams)}`));
    port.on('itemDropped', (bin) => seen.push(`dropped ${bin}`));
    sim.model.insertItem('glass');
    await eventually(() => seen.length >= 2, { what: 'present and weight' });
    await port.sortTo('glass');
    await eventually(() => seen.includes('dropped glass'), { what: 'the drop' });
    expect(seen.slice(0, 2)).toEqual(['present', 'weight 230']);
    await port.setDoorLocked(true);
    expect(sim.model.doorLocked).toBe(true);
  });
});

describe('ControllerSimulator in the myrvm-legacy dialect', () => {
  it('answers the ESP32 command lines and the port reports the sort as the drop', async () => {
    const sim = simulator({ dialect: 'myrvm-legacy' });
    const driver = await driverFor(sim, { dialect: legacyHost, deadAfterMs: 2000 });
    await expect(driver.send({ op: 'ping' })).resolves.toEqual({});
    await expect(driver.send({ op: 'lights', on: true })).resolves.toEqual({});
    expect(sim.model.lightsOn).toBe(true);
    const port = createMachinePort(driver);
    const drops: string[] = [];
    port.on('itemDropped', (bin) => drops.push(bin));
    await port.returnItem();
    expect(drops).toEqual(['reject']);
    await expect(driver.send({ op: 'tare' })).rejects.toMatchObject({ code: 'unsupported' });
  });
});
