/**
 * The server's motor speed delay reaching the controller: `SET,motor_delay_us,<µs>` (protocol 2) over a real
 * socat pty to the simulator, re-sent after the controller reboots (it forgets RAM settings); the legacy
 * dialect sends nothing and its firmware never sees a line it does not know.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MachineDriver } from '../../src/hardware/driver/machine-driver.js';
import { MotorDelay } from '../../src/hardware/motor-delay.js';
import { hostBody, legacyHost, parseHostBody } from '../../src/hardware/protocol/index.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../../src/hardware/simulator/controller-simulator.js';
import { INSTANT_TIMINGS } from '../../src/hardware/simulator/sim-settings.js';
import { createMemoryPair } from '../../src/hardware/transport/memory-link.js';
import { eventually } from '../helpers/eventually.js';
import { describeWithSocat } from '../helpers/pty.js';
import { fastDriverOptions } from './fixtures.js';
import { startPtyRig, type PtyRig } from './pty-rig.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SET in protocol 2', () => {
  it('round-trips SET,motor_delay_us and refuses values out of range or unknown keys', () => {
    const body = hostBody({ seq: 7, kind: 'command', command: { op: 'set', key: 'motor_delay_us', value: 5000 } });
    expect(body).toBe('7,SET,motor_delay_us,5000');
    expect(parseHostBody(body)).toEqual({ ok: true, value: { seq: 7, kind: 'command', command: { op: 'set', key: 'motor_delay_us', value: 5000 } } });
    for (const bad of ['7,SET,motor_delay_us,1000001', '7,SET,motor_delay_us,-1', '7,SET,motor_delay_us,1.5', '7,SET,speed,10', '7,SET,motor_delay_us', '7,SET,motor_delay_us,5,6']) {
      expect(parseHostBody(bad).ok, bad).toBe(false);
    }
  });
});

describeWithSocat('motor speed delay over a socat pty', () => {
  let rig: PtyRig;
  afterEach(async () => {
    await rig?.stop();
  });

  it('reaches the simulated controller, ACKed, and is set again after a controller reboot', async () => {
    rig = await startPtyRig();
    const delay = new MotorDelay(rig.driver);
    cleanups.push(() => delay.dispose());
    await delay.set(0.005);
    expect(rig.sim.model.settings.motor_delay_us).toBe(5000);
    expect(delay.microseconds).toBe(5000);
    // A reboot forgets it; the link drops and comes back (host went quiet), and the host sends it again.
    rig.sim.reboot();
    expect(rig.sim.model.settings.motor_delay_us).toBeUndefined();
    rig.sim.dropLink(2500);
    await eventually(() => rig.sim.model.settings.motor_delay_us === 5000, { what: 'the delay set again after the link came back', timeoutMs: 15_000 });
    expect(rig.driver.counters.naks).toBe(0);
  }, 30_000);

  it('ignores an impossible value from the server', async () => {
    rig = await startPtyRig();
    const delay = new MotorDelay(rig.driver);
    cleanups.push(() => delay.dispose());
    await delay.set(-1);
    await delay.set(5);
    expect(delay.microseconds).toBeNull();
    expect(rig.sim.model.settings.motor_delay_us).toBeUndefined();
  });
});

describe('motor speed delay with the legacy firmware', () => {
  it('sends nothing: the firmware gets no line it does not know', async () => {
    const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, dialect: 'myrvm-legacy', heartbeatMs: 50, timings: INSTANT_TIMINGS });
    cleanups.push(() => sim.stop());
    const lines: string[] = [];
    sim.onTrace((line) => lines.push(line));
    const driver = new MachineDriver(
      fastDriverOptions(
        async () => {
          const { host, device } = createMemoryPair();
          sim.attach(device);
          return host;
        },
        { dialect: legacyHost },
      ),
    );
    cleanups.push(() => driver.stop());
    driver.start();
    expect(await driver.waitConnected(5000)).toBe(true);
    const delay = new MotorDelay(driver);
    cleanups.push(() => delay.dispose());
    await delay.set(0.005);
    await driver.send({ op: 'ping' });
    expect(driver.counters).toMatchObject({ malformed: 0, naks: 0 });
    expect(lines.some((l) => /set|unknown/i.test(l))).toBe(false);
    expect(sim.model.settings.motor_delay_us).toBeUndefined();
  });
});
