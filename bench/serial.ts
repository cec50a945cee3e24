/**
 * `npm run bench:serial`: command round trips through the whole stack — driver queue, rvm1 framing + CRC,
 * serialport, a socat pty, the simulator's parser and model, and back — against the floor: a bare
 * serialport echo of a line of the same length on another socat pty, in the same run. Samples alternate
 * (echo, ping, echo, ping…) so both see the same machine load. Target (issue 4): command p99 ≤ 1.5 × echo p99.
 */
import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';
import { MachineDriver } from '../src/hardware/driver/machine-driver.js';
import { rvm1Host, type MachineCommand } from '../src/hardware/protocol/index.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort } from '../src/hardware/simulator/port-runner.js';
import { INSTANT_TIMINGS } from '../src/hardware/simulator/sim-settings.js';
import { openSerialLink } from '../src/hardware/transport/serial-link.js';
import { socatAvailable, SocatPtyPair } from '../src/hardware/transport/socat-pty.js';
import { ratio, writeResult } from './report/write-result.js';

const ROUNDS = Number(process.env.RVM_BENCH_ROUNDS ?? 2000);
const WARMUP = 100;
const TARGET_RATIO = 1.5;
/** The size of a ping frame (`$12345,PING*ABCD\r\n`), so the echo moves the same bytes. */
const ECHO_LINE = Buffer.from('$12345,PING*ABCD\r\n');
const MIXED: MachineCommand[] = [{ op: 'ping' }, { op: 'lights', on: true }, { op: 'gate', bin: 'can' }, { op: 'status' }, { op: 'door', locked: false }, { op: 'lights', on: false }];

const round3 = (v: number) => Math.round(v * 1000) / 1000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), mean, max: sorted.at(-1) as number };
}

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

/** The floor: write a line, wait for it to come back whole. */
async function echoRig(pair: SocatPtyPair) {
  const host = await openPort(pair.hostPath);
  const device = await openPort(pair.devicePath);
  device.on('data', (chunk: Buffer) => device.write(chunk));
  let received = 0;
  let waiter: (() => void) | null = null;
  host.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received >= ECHO_LINE.length && waiter) {
      received -= ECHO_LINE.length;
      const done = waiter;
      waiter = null;
      done();
    }
  });
  return {
    roundTrip: () =>
      new Promise<void>((resolve) => {
        waiter = resolve;
        host.write(ECHO_LINE);
      }),
    close: async () => {
      await new Promise((r) => host.close(r));
      await new Promise((r) => device.close(r));
    },
  };
}

async function timed(run: () => Promise<unknown>, into: number[]): Promise<void> {
  const started = performance.now();
  await run();
  into.push(performance.now() - started);
}

async function main(): Promise<void> {
  if (!socatAvailable()) throw new Error('bench:serial needs socat (apt-get install -y socat)');
  const echoPair = await SocatPtyPair.create('rvm-bench-echo-');
  const protoPair = await SocatPtyPair.create('rvm-bench-proto-');
  const echo = await echoRig(echoPair);
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, timings: INSTANT_TIMINGS });
  const running = runSimulatorOnPort(sim, protoPair.devicePath);
  const driver = new MachineDriver({
    dialect: rvm1Host,
    open: () => openSerialLink(protoPair.hostPath),
    transport: 'pty',
    heartbeatMs: 1000,
    deadAfterMs: 3500,
    lostAfterMs: 15_000,
    backoff: { firstMs: 50, factor: 2, maxMs: 1000, jitter: false },
    retries: 2,
    queueWaitMs: 10_000,
    timeoutsMs: { ping: 500, conveyor: 500, gate: 1500, door: 1500, lights: 500, buzzer: 1000, tare: 2000, status: 500 },
  });
  driver.start();
  if (!(await driver.waitConnected(5000))) throw new Error('driver did not connect');

  const echoMs: number[] = [];
  const pingMs: number[] = [];
  const mixedMs: number[] = [];
  for (let i = 0; i < WARMUP; i++) {
    await echo.roundTrip();
    await driver.send({ op: 'ping' });
  }
  for (let i = 0; i < ROUNDS; i++) {
    await timed(() => echo.roundTrip(), echoMs);
    await timed(() => driver.send({ op: 'ping' }), pingMs);
    if (i % 2 === 0) await timed(() => driver.send(MIXED[(i / 2) % MIXED.length] as MachineCommand), mixedMs);
  }

  const rows = { 'bare serialport echo (floor)': stats(echoMs), 'rvm1 PING round trip': stats(pingMs), 'rvm1 mixed commands': stats(mixedMs) };
  const fmt = (v: number) => v.toFixed(3).padStart(8);
  console.log(`\nserial round trips over socat ptys, 115200 8N1 (a pty ignores the baud rate), samples interleaved\n`);
  console.log(`${'what'.padEnd(30)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const [name, s] of Object.entries(rows)) console.log(`${name.padEnd(30)} ${String(s.n).padStart(5)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.p99)} ${fmt(s.mean)} ${fmt(s.max)}`);
  const floor = rows['bare serialport echo (floor)'];
  const ping = rows['rvm1 PING round trip'];
  const p99Ratio = ratio(ping.p99, floor.p99);
  console.log(`\nratio PING/echo: p50 ${(ping.p50 / floor.p50).toFixed(2)}x, p95 ${(ping.p95 / floor.p95).toFixed(2)}x, p99 ${p99Ratio.toFixed(2)}x`);
  console.log(`target p99 <= ${TARGET_RATIO}x echo: ${p99Ratio <= TARGET_RATIO ? 'MET' : 'MISSED'}`);
  console.log(`link counters: ${JSON.stringify(driver.counters)}`);
  const ms = (st: ReturnType<typeof stats>) => ({ p50: round3(st.p50), p95: round3(st.p95), p99: round3(st.p99), max: round3(st.max) });
  writeResult({
    name: 'serial',
    params: { rounds: ROUNDS, warmup: WARMUP, transport: 'socat pty pairs' },
    includes: 'PING: driver queue, rvm1 framing + CRC, serialport, a socat pty, the simulator and back; floor: a bare serialport echo of a line of the same length on another pty, samples interleaved',
    figures: { echoMs: ms(floor), pingMs: ms(ping), mixedMs: ms(rows['rvm1 mixed commands']) },
    ratios: { pingToEchoP50: ratio(ping.p50, floor.p50), pingToEchoP99: p99Ratio, mixedToEchoP99: ratio(rows['rvm1 mixed commands'].p99, floor.p99) },
    targets: { pingToEchoP99: { max: TARGET_RATIO } },
    met: p99Ratio <= TARGET_RATIO,
  });

  await driver.stop();
  sim.stop();
  await running.stop();
  await echo.close();
  await echoPair.dispose();
  await protoPair.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
