import { afterEach, describe, expect, it } from 'vitest';
import { MachineDriver, type DriverOptions, type LinkStatus } from '../../../src/hardware/driver/machine-driver.js';
import { MachineCommandError } from '../../../src/hardware/driver/errors.js';
import { legacyHost, type ControllerEvent } from '../../../src/hardware/protocol/index.js';
import { onLog } from '../../../src/log/logger.js';
import { eventually } from '../../helpers/eventually.js';
import { FakeController, fastDriverOptions } from '../fixtures.js';

const drivers: MachineDriver[] = [];

async function connected(fake: FakeController, overrides: Partial<DriverOptions> = {}): Promise<MachineDriver> {
  const driver = new MachineDriver(fastDriverOptions(fake.opener, overrides));
  drivers.push(driver);
  driver.start();
  expect(await driver.waitConnected(5000)).toBe(true);
  return driver;
}

function failure(promise: Promise<unknown>): Promise<MachineCommandError> {
  return promise.then(
    () => {
      throw new Error('expected the command to fail');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(MachineCommandError);
      return err as MachineCommandError;
    },
  );
}

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.stop()));
});

describe('MachineDriver commands', () => {
  it('resolves a command with the ACK data and counts frames both ways', async () => {
    const fake = new FakeController();
    fake.answer = (command) => ({ ok: true, data: command.op === 'status' ? { conv: 'stop' } : ({} as Record<string, string>) });
    const driver = await connected(fake);
    expect(await driver.send({ op: 'status' })).toEqual({ conv: 'stop' });
    expect(fake.commands().map((c) => c.command)).toContainEqual({ op: 'status' });
    expect(driver.counters.framesOut).toBeGreaterThanOrEqual(1);
    expect(driver.counters.framesIn).toBeGreaterThanOrEqual(1);
  });

  it('turns a NAK into a `nak` error carrying the controller code', async () => {
    const fake = new FakeController();
    fake.answer = () => ({ ok: false, code: 'BIN_FULL' });
    const driver = await connected(fake);
    const error = await failure(driver.send({ op: 'gate', bin: 'can' }));
    expect(error.code).toBe('nak');
    expect(error.nakCode).toBe('BIN_FULL');
    expect(error.message).toMatch(/gate can.*BIN_FULL/);
    expect(driver.counters.naks).toBe(1);
  });

  it('retries a silent command with the same sequence number, then fails with `timeout`', async () => {
    const fake = new FakeController();
    fake.answer = () => 'silent';
    const driver = await connected(fake);
    const error = await failure(driver.send({ op: 'gate', bin: 'glass' }, { timeoutMs: 40, retries: 2 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/after 3 attempts/);
    const sent = fake.commands();
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((c) => c.seq)).size).toBe(1);
    expect(driver.counters.timeouts).toBe(3);
    expect(driver.counters.retries).toBe(2);
  });

  it('ignores a late reply to an abandoned command and keeps serving', async () => {
    const fake = new FakeController();
    let lateSeq = 0;
    fake.answer = (command, seq) => {
      if (command.op === 'tare') {
        lateSeq = seq;
        return 'silent';
      }
      return { ok: true, data: {} };
    };
    const driver = await connected(fake);
    await failure(driver.send({ op: 'tare' }, { timeoutMs: 30, retries: 0 }));
    fake.reply(lateSeq, { ok: true, data: {} });
    await eventually(() => driver.counters.staleReplies === 1, { what: 'the stale reply to be counted' });
    await expect(driver.send({ op: 'ping' })).resolves.toEqual({});
  });

  it('runs commands one at a time, in order', async () => {
    const fake = new FakeController();
    const driver = await connected(fake);
    const ops = ['ping', 'tare', 'status', 'ping'] as const;
    await Promise.all(ops.map((op) => driver.send({ op })));
    expect(fake.commands().map((c) => c.command.op)).toEqual([...ops]);
  });

  it('refuses a command the dialect cannot express', async () => {
    const fake = new FakeController();
    const driver = new MachineDriver(fastDriverOptions(fake.opener, { dialect: legacyHost }));
    drivers.push(driver);
    const error = await failure(driver.send({ op: 'conveyor', run: true }));
    expect(error.code).toBe('unsupported');
  });
});

describe('MachineDriver input handling', () => {
  it('counts and logs garbage in hex, and still delivers the events around it', async () => {
    const fake = new FakeController();
    const driver = await connected(fake);
    const events: ControllerEvent[] = [];
    driver.onEvent((event) => events.push(event));
    const logged: Array<Record<string, unknown> | undefined> = [];
    const off = onLog((_level, _scope, message, fields) => message.includes('malformed') && logged.push(fields));
    fake.event({ type: 'weight', grams: 12.5 });
    fake.raw(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0a]));
    fake.raw(Buffer.from('$1,WT,9*0000\r\n'));
    fake.event({ type: 'drop', bin: 'can' });
    await eventually(() => events.some((e) => e.type === 'drop'), { what: 'the drop event' });
    off();
    expect(events.filter((e) => e.type !== 'fill')).toEqual([{ type: 'weight', grams: 12.5 }, { type: 'drop', bin: 'can' }]);
    expect(driver.counters.malformed).toBe(2);
    expect(logged.map((f) => f?.hex)).toContain('de ad be ef');
    expect(logged.map((f) => f?.reason)).toEqual(['noise', 'bad_checksum']);
  });

  it('delivers a repeated DROP once but confirms every copy', async () => {
    const fake = new FakeController();
    const driver = await connected(fake);
    const drops: string[] = [];
    driver.onEvent((event) => event.type === 'drop' && drops.push(event.bin));
    fake.event({ type: 'drop', bin: 'glass' }, 500);
    fake.event({ type: 'drop', bin: 'glass' }, 500);
    fake.event({ type: 'drop', bin: 'plastic' }, 501);
    await eventually(() => fake.received.filter((r) => r.kind === 'eventAck').length === 3, { what: 'three event acks' });
    expect(drops).toEqual(['glass', 'plastic']);
    expect(fake.received.flatMap((r) => (r.kind === 'eventAck' ? [r.eventSeq] : []))).toEqual([500, 500, 501]);
  });

  it('counts gaps in the controller numbering as missed frames', async () => {
    const fake = new FakeController();
    fake.heartbeats = false;
    const driver = await connected(fake, { deadAfterMs: 5000 });
    fake.event({ type: 'temperature', celsius: 30 }, 1000);
    fake.event({ type: 'temperature', celsius: 31 }, 1004);
    await eventually(() => driver.counters.framesIn >= 2, { what: 'two frames' });
    expect(driver.counters.missedFrames).toBe(3);
  });

  it('keeps going when an event listener throws', async () => {
    const fake = new FakeController();
    const driver = await connected(fake);
    const seen: string[] = [];
    driver.onEvent(() => {
      throw new Error('listener bug');
    });
    driver.onEvent((event) => seen.push(event.type));
    fake.event({ type: 'item', present: true });
    await eventually(() => seen.includes('item'), { what: 'the item event' });
    await expect(driver.send({ op: 'ping' })).resolves.toEqual({});
  });
});

describe('MachineDriver link supervision', () => {
  it('sends heartbeats, declares a silent controller dead, and reconnects', async () => {
    const fake = new FakeController();
    const driver = await connected(fake, { deadAfterMs: 300 });
    const statuses: LinkStatus[] = [];
    driver.onState((state) => statuses.push(state.status));
    await eventually(() => fake.received.filter((r) => r.kind === 'heartbeat').length >= 2, { what: 'host heartbeats' });
    fake.heartbeats = false;
    await eventually(() => statuses.includes('reconnecting'), { what: 'the dead link to be noticed' });
    fake.heartbeats = true;
    await eventually(() => driver.state.status === 'connected' && fake.opens === 2, { what: 'the reconnect' });
    expect(driver.state.lastError).toBeNull();
    expect(driver.counters.reconnects).toBe(1);
    expect(statuses).toEqual(expect.arrayContaining(['reconnecting', 'connected']));
    await expect(driver.send({ op: 'ping' })).resolves.toEqual({});
  });

  it('holds commands while the link is down and sends them once it is back', async () => {
    const fake = new FakeController();
    const driver = await connected(fake);
    fake.refuseOpen = new Error('ENOENT: no such file');
    fake.link?.unplug();
    await eventually(() => driver.state.status === 'reconnecting', { what: 'the unplug' });
    const pending = driver.send({ op: 'door', locked: true });
    await eventually(() => driver.state.attempts >= 2, { what: 'failed reopen attempts' });
    expect(driver.state.lastError).toMatch(/ENOENT/);
    fake.refuseOpen = null;
    await expect(pending).resolves.toEqual({});
    expect(fake.commands().at(-1)?.command).toEqual({ op: 'door', locked: true });
  });

  it('fails a command that waited too long for the link, saying it was never sent', async () => {
    const fake = new FakeController();
    const driver = await connected(fake, { queueWaitMs: 100 });
    fake.refuseOpen = new Error('ENOENT');
    fake.link?.unplug();
    await eventually(() => driver.state.status === 'reconnecting', { what: 'the unplug' });
    const error = await failure(driver.send({ op: 'lights', on: true }));
    expect(error.code).toBe('link_down');
    expect(error.message).toMatch(/reconnecting since .*'light on' was not sent/);
  });

  it('resends the command that was in flight when the link dropped, with the same number', async () => {
    const fake = new FakeController();
    let first = true;
    fake.answer = (command) => {
      if (command.op === 'gate' && first) {
        first = false;
        setImmediate(() => fake.link?.unplug());
        return 'silent';
      }
      return { ok: true, data: {} };
    };
    const driver = await connected(fake);
    await expect(driver.send({ op: 'gate', bin: 'plastic' })).resolves.toEqual({});
    const gates = fake.commands().filter((c) => c.command.op === 'gate');
    expect(gates).toHaveLength(2);
    expect(gates[0]?.seq).toBe(gates[1]?.seq);
    expect(fake.opens).toBe(2);
  });

  it('rejects everything still queued when stopped', async () => {
    const fake = new FakeController();
    fake.answer = () => 'silent';
    const driver = await connected(fake);
    const pending = failure(driver.send({ op: 'ping' }, { timeoutMs: 10_000 }));
    await driver.stop();
    expect((await pending).code).toBe('stopped');
    expect(driver.state.status).toBe('stopped');
  });
});
