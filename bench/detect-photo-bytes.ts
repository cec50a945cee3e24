/**
 * The photo-bytes half of `npm run bench:detect` (issue 15, "fewer photo bytes"): what the credit's photo
 * weighs before and after evidence-photo.ts, and what a durable outbox record costs with each, against the
 * fsync floor (a bare append + fsync of the same line on the same disk), rounds interleaved.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setLogLevel } from '../src/log/logger.js';
import { outboxConfig } from '../src/outbox/config.js';
import { Outbox } from '../src/outbox/outbox.js';
import { encodeLine } from '../src/outbox/record-codec.js';
import { makeCredit } from '../test/helpers/outbox.js';

/** A type alias, not an interface, so it fits write-result.ts's Figures index signature. */
export type Latency = { p50: number; p99: number };

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const round2 = (v: number) => Math.round(v * 100) / 100;
const latency = (xs: number[]): Latency => ({ p50: round2(quantile(xs, 0.5)), p99: round2(quantile(xs, 0.99)) });

/**
 * Per record p50/p99 of `record()` without a photo and with each photo given, and of the floor, over
 * `rounds` interleaved rounds of `count` records each; and the process's CPU time per record (every thread:
 * the core thread's copies and checksums, libuv's writes), the least of the rounds.
 */
export async function recordCosts(
  photos: Record<string, Buffer>,
  count: number,
  rounds: number,
): Promise<{ floorMs: Latency; plainMs: Latency; photoMs: Record<string, Latency>; cpuMsPerRecord: Record<string, number> }> {
  setLogLevel('warn');
  const base = await mkdtemp(path.join(tmpdir(), 'rvm-bench-detect-photo-'));
  const config = outboxConfig.parse({ flushDelayMs: 60_000 }); // no background flush while measuring writes
  const samples = { floor: [] as number[], plain: [] as number[], photo: Object.fromEntries(Object.keys(photos).map((k) => [k, [] as number[]])) };
  const cpu: Record<string, number> = {};
  let run = 0;
  const records = async (name: string, image: Buffer | undefined, into: number[]) => {
    const outbox = await Outbox.open(path.join(base, `run-${run++}`), config);
    const before = process.cpuUsage();
    for (let n = 0; n < count; n += 1) {
      const t = performance.now();
      await outbox.record(makeCredit(n, image ? { image } : {}));
      into.push(performance.now() - t);
    }
    const used = process.cpuUsage(before);
    cpu[name] = Math.min(cpu[name] ?? Infinity, round2((used.user + used.system) / 1000 / count));
    await outbox.close();
  };
  try {
    for (let r = 0; r < rounds; r += 1) {
      const handle = await open(path.join(base, `floor-${run++}.log`), 'a');
      for (let n = 0; n < count; n += 1) {
        const t = performance.now();
        await handle.appendFile(encodeLine({ t: 'credit', seq: n + 1, ...makeCredit(n), recordedAt: new Date().toISOString() }));
        await handle.sync();
        samples.floor.push(performance.now() - t);
      }
      await handle.close();
      await records('noPhoto', undefined, samples.plain);
      for (const [name, bytes] of Object.entries(photos)) await records(name, bytes, samples.photo[name]!);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return {
    floorMs: latency(samples.floor),
    plainMs: latency(samples.plain),
    photoMs: Object.fromEntries(Object.entries(samples.photo).map(([k, xs]) => [k, latency(xs)])),
    cpuMsPerRecord: cpu,
  };
}
