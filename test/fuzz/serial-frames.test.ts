/**
 * Fuzz, serial family: random and mutated frames through the real driver and the controller simulator's
 * real parser, over real socat ptys (the protocol-level decoder fuzz is test/hardware/protocol/fuzz.test.ts).
 * Towards the kiosk: random bytes, mutated controller frames, well-checksummed frames whose body is no
 * message, stray replies to commands never sent, endless lines. Towards the controller: the same from the
 * host's side. Nothing may throw (the simulator logs a failed frame at error level: there must be none), the
 * driver counts what it dropped, memory stays flat, and the machine then completes a normal item.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeFrame } from '../../src/hardware/protocol/frame.js';
import { BINS, controllerBody, hostBody, parseControllerBody, parseHostBody, type ControllerFrame, type HostFrame } from '../../src/hardware/protocol/messages.js';
import { onLog } from '../../src/log/logger.js';
import { eventually } from '../helpers/eventually.js';
import { describeWithSocat } from '../helpers/pty.js';
import { FAMILY_TIMEOUT_MS, fuzzCount, fuzzSeed, MemoryWatch, quietLogs, reportFamily, retainedHeapMiB, rng, withSeed, type Rng } from './fuzz-kit.js';
import { startFuzzMachine, type FuzzMachine } from './fuzz-machine.js';

const FRAMES = fuzzCount(6_000, 120_000);
const SEED = fuzzSeed(150_001);
const BODY_ALPHABET = '0123456789,ABCDEFGHIKLMNOPRSTUVWZ_abcdeghiklnoprstu=/-.+';

type Unit = 'random' | 'mutated' | 'bad_message' | 'stray_reply' | 'endless';

/**
 * Frames to mutate. A mutation that duplicates a span can leave a whole frame intact, and an intact frame is
 * real to the driver (a FILL of 100 % would rightly make that bin full), so only frames that change nothing
 * the normal item needs are used: low fill levels, weights, heartbeats, DROPs of items nobody sorted, replies.
 */
function controllerFrame(r: Rng): ControllerFrame {
  const seq = 1 + r.int(65535);
  switch (r.int(6)) {
    case 0: return { seq, kind: 'reply', reply: { ok: true, data: { fill: `${r.int(101)}/${r.int(101)}/0/0` } } };
    case 1: return { seq, kind: 'reply', reply: { ok: false, code: r.pick(['JAM', 'BUSY', 'BIN_FULL']) } };
    case 2: return { seq, kind: 'event', event: { type: 'weight', grams: r.int(50_000) / 10 } };
    case 3: return { seq, kind: 'event', event: { type: 'drop', bin: r.pick(BINS), item: `item-${r.int(1e6)}` } };
    case 4: return { seq, kind: 'event', event: { type: 'fill', bin: r.pick(BINS), percent: r.int(50) } };
    default: return { seq, kind: 'event', event: { type: 'heartbeat' } };
  }
}

function hostFrame(r: Rng): HostFrame {
  const seq = 1 + r.int(65535);
  switch (r.int(4)) {
    case 0: return { seq, kind: 'command', command: { op: 'gate', bin: r.pick(BINS) } };
    case 1: return { seq, kind: 'command', command: { op: 'sort', bin: r.pick(BINS), item: `item-${r.int(1e6)}` } };
    case 2: return { seq, kind: 'eventAck', eventSeq: r.int(65536) };
    default: return { seq, kind: 'heartbeat' };
  }
}

/** Bit flips, dropped, inserted and duplicated bytes, truncation: almost always a bad checksum. */
function mutate(r: Rng, bytes: Buffer): Buffer {
  let out = Buffer.from(bytes);
  for (let m = 1 + r.int(3); m > 0 && out.length > 0; m--) {
    const at = r.int(out.length);
    switch (r.int(5)) {
      case 0: out[at] = (out[at] as number) ^ (1 << r.int(8)); break;
      case 1: out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]); break;
      case 2: out = Buffer.concat([out.subarray(0, at), Buffer.from([r.int(256)]), out.subarray(at)]); break;
      case 3: out = out.subarray(0, at); break;
      default: out = Buffer.concat([out.subarray(0, at), out.subarray(r.int(out.length))]); break;
    }
  }
  return out;
}

/** A body with a good checksum that is no message for that end (anything that parses is left out: it would be real). */
function badMessage(r: Rng, parses: (body: string) => boolean): Buffer | null {
  const body = `${r.int(70_000)},${r.text(30, BODY_ALPHABET)}`;
  return parses(body) ? null : encodeFrame(body);
}

/** One fuzz unit for the given direction; `kind` counted by the caller. */
function unit(r: Rng, towardsHost: boolean): { kind: Unit; bytes: Buffer } {
  const roll = r.int(100);
  if (roll < 30) return { kind: 'random', bytes: Buffer.from(Array.from({ length: 1 + r.int(60) }, () => (r.chance(0.05) ? r.pick([0x24, 0x0a, 0x2a, 0x0d]) : r.int(256)))) };
  if (roll < 70) {
    const body = towardsHost ? controllerBody(controllerFrame(r)) : hostBody(hostFrame(r));
    return { kind: 'mutated', bytes: mutate(r, encodeFrame(body)) };
  }
  if (roll < 90) {
    const framed = badMessage(r, (body) => (towardsHost ? parseControllerBody(body).ok : parseHostBody(body).ok));
    if (framed) return { kind: 'bad_message', bytes: framed };
  }
  if (roll < 99 && towardsHost) return { kind: 'stray_reply', bytes: encodeFrame(`${1 + r.int(65535)},${r.pick(['ACK', 'NAK,BUSY', 'NAK,JAM', 'ACK,state=unknown'])}`) };
  return { kind: 'endless', bytes: Buffer.concat([Buffer.from('$'), Buffer.alloc(500 + r.int(4_000), 0x41 + r.int(26))]) };
}

describeWithSocat('fuzz: serial frames through the driver and the controller simulator on real ptys', () => {
  let machine: FuzzMachine;
  const simulatorFailures: string[] = [];
  let stopLogs: () => void = () => undefined;
  let restoreLogs: () => void = () => undefined;

  beforeAll(async () => {
    restoreLogs = quietLogs(); // every dropped frame is a (rate-limited) warning on purpose
    stopLogs = onLog((level, scope, message, fields) => {
      if (level === 'error') simulatorFailures.push(`${scope} ${message} ${JSON.stringify(fields ?? {})}`);
    });
    machine = await startFuzzMachine();
  }, 60_000);
  afterAll(async () => {
    stopLogs();
    await machine?.stop();
    restoreLogs();
  });

  it(`${FRAMES} random and mutated frames, both ways, then a normal item`, async () => {
    await machine.completeNormalItem(); // the machine works before the noise, so a failure after it means something
    const r = rng(SEED);
    const counts: Record<Unit, number> = { random: 0, mutated: 0, bad_message: 0, stray_reply: 0, endless: 0 };
    const heapBefore = retainedHeapMiB();
    const memory = new MemoryWatch();
    const malformedBefore = machine.kiosk.ctx.core.current('hardware.state')?.counters.malformed ?? 0;
    let towardsHost = 0;
    for (let sent = 0; sent < FRAMES; ) {
      // A burst of up to 40 units in one write per direction; the relay keeps them between whole frames.
      const toHost: Buffer[] = [];
      const toController: Buffer[] = [];
      for (let n = 0; n < 40 && sent < FRAMES; n++, sent++) {
        const host = r.chance(0.5);
        const u = unit(r, host);
        counts[u.kind] += 1;
        (host ? toHost : toController).push(u.bytes);
        if (host) towardsHost += 1;
      }
      await withSeed('serial', SEED, sent, async () => {
        await machine.serial.toHost(Buffer.concat(toHost));
        await machine.serial.toController(Buffer.concat(toController));
      });
    }
    const peak = memory.stop();
    // The driver saw the noise and counted it (mutations can merge or split units, so not one for one).
    const counted = await eventually(
      () => {
        const malformed = (machine.kiosk.ctx.core.current('hardware.state')?.counters.malformed ?? 0) - malformedBefore;
        return malformed >= towardsHost * 0.5 ? malformed : false;
      },
      { what: 'the driver to count the dropped frames', timeoutMs: 20_000 },
    );
    expect(simulatorFailures, `error lines while fuzzing (seed ${SEED})`).toEqual([]);
    const heapAfter = retainedHeapMiB();
    expect(heapAfter - heapBefore, `retained heap grew (seed ${SEED})`).toBeLessThan(48);

    const normal = await machine.completeNormalItem();
    expect(normal.items).toBe(2);
    reportFamily('serial', { seed: SEED, frames: FRAMES, towardsHost, towardsController: FRAMES - towardsHost, ...counts, driverMalformed: counted, bytesInjected: machine.serial.bytesInjected, crashes: 0, hangs: 0, retainedHeapGrowthMiB: Math.round((heapAfter - heapBefore) * 10) / 10, ...peak, normalItemAfter: 1 });
  }, FAMILY_TIMEOUT_MS);
});
