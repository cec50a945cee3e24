/**
 * `npm run bench:memory`: does the core's memory stay flat as items go through? The demo kiosk in this process
 * (controller simulator over a pty with instant movements, the server simulator on loopback, the REAL detector —
 * an onnxruntime session and sharp in a worker_thread, so the process RSS covers it), driven through `--items`
 * (default 1,000; the soak figure needs 2,000) accepted items in visits of `--per-session` items, with
 * photos, durable credits and their upload. RSS and the JS heaps are sampled idle and every `--every` items,
 * each after a full GC, so what remains is what is really held.
 *
 * Target (issue 15): RSS at the end ≤ 1.10 × RSS at item 500 — growth after warm-up is what a kiosk that runs
 * for months cannot afford. Absolute MiB depend on the machine; the ratio does not.
 *   npm run bench:memory [-- --items 2000 --every 100 --per-session 50]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { kioskConfig } from '../src/app/config-schema.js';
import { createKiosk } from '../src/app/create-kiosk.js';
import { setLogLevel } from '../src/log/logger.js';
import { ratio, writeResult } from './report/write-result.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
};
const ITEMS = arg('items', 1000);
const EVERY = arg('every', 100);
const PER_SESSION = arg('per-session', 50);
const WARM_AT = Math.min(500, ITEMS);
const TARGET_GROWTH = 1.1;
/** Accepted demo photos only: a rejected item waits in the intake for a person to take it back. */
const PHOTOS = ['glass-wine-bottle.jpg', 'coffee.png'];

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MiB = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

interface Sample {
  items: number;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** Anonymous (heap/malloc) resident memory, from /proc: what grows when native code leaks or fragments. */
  anonMiB: number | null;
}

function anonResidentMiB(): number | null {
  try {
    const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

async function sample(items: number): Promise<Sample> {
  // Two collections with a turn of the loop between: ArrayBuffers freed by the first are released after it.
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const m = process.memoryUsage();
  return { items, rssMiB: MiB(m.rss), heapUsedMiB: MiB(m.heapUsed), externalMiB: MiB(m.external), arrayBuffersMiB: MiB(m.arrayBuffers), anonMiB: anonResidentMiB() };
}

setLogLevel('error');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-bench-memory-'));
const kiosk = await createKiosk(kioskConfig.parse({ dataDir, hardware: { simulator: { timings: 'instant' } }, detection: { settleMs: 0 }, session: { finishedMs: 200 } }));
const { core } = kiosk;

function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), ms);
    const test = () => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = core.subscribe(test);
    test();
  });
}

/** The session may take the next item before the last one has left the intake (pipelining): wait for it. */
async function insertWhenIntakeFree(): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      await core.call('hardware.simulateInsert', { kind: 'glass' });
      return;
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'intake_busy' || tries >= 500) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const samples: Sample[] = [];
let accepted = 0;
const started = performance.now();
try {
  await until(() => core.current('detection.state')?.status === 'ready', 'the detector to load', 120_000);
  await new Promise((r) => setTimeout(r, 2000)); // let start-up work (handshake, first flush) settle
  const idle = await sample(0);
  samples.push(idle);
  console.log(`idle: RSS ${idle.rssMiB} MiB (anon ${idle.anonMiB}), heap ${idle.heapUsedMiB} MiB, external ${idle.externalMiB} MiB`);
  for (let n = 1; n <= ITEMS; n++) {
    if ((n - 1) % PER_SESSION === 0) {
      await until(() => ['idle', 'attract'].includes(String(core.current('session.state')?.phase ?? 'idle')), 'the previous visit to end');
      // Between visits a technician empties the glass bin, as on a real machine: a full bin would reject items
      // before detection, and the figures would no longer be about items going through.
      await core.call('hardware.simulateFault', { fault: 'bin_full', active: false, bin: 'glass' });
      await core.call('session.start', { mode: 'guest' });
    }
    const inSession = ((n - 1) % PER_SESSION) + 1;
    await until(() => core.current('session.state')?.phase === 'active', 'the session to take an item');
    await core.call('detection.selectPhoto', { file: PHOTOS[n % PHOTOS.length]! });
    await insertWhenIntakeFree();
    await until(() => {
      const s = core.current('session.state');
      return !!s && s.items.length >= inSession && s.phase === 'active';
    }, `item ${n} to be counted`);
    const item = core.current('session.state')!.items.at(-1)!;
    if (!item.accepted) throw new Error(`item ${n} was not accepted (${item.outcome}); bench:memory measures accepted items only`);
    accepted++;
    if (inSession === PER_SESSION || n === ITEMS) await core.call('session.finish', {});
    if (n % EVERY === 0 || n === ITEMS) {
      const s = await sample(n);
      samples.push(s);
      const rate = (n / ((performance.now() - started) / 60_000)).toFixed(0);
      console.log(`${String(n).padStart(5)} items: RSS ${s.rssMiB} MiB (anon ${s.anonMiB}), heap ${s.heapUsedMiB}, external ${s.externalMiB}, arrayBuffers ${s.arrayBuffersMiB}  (${rate} items/min)`);
    }
  }
  const at = (items: number) => samples.find((s) => s.items === items) ?? samples.at(-1)!;
  const warm = at(WARM_AT);
  const end = samples.at(-1)!;
  const growth = ratio(end.rssMiB, warm.rssMiB);
  const outbox = await core.call('outbox.status', {});
  writeResult({
    name: 'memory',
    params: { items: ITEMS, every: EVERY, perSession: PER_SESSION, photos: PHOTOS, accepted, simulatorTimings: 'instant', detector: 'demo model, worker_thread', outboxPending: outbox.pending },
    includes: 'process RSS of the demo core (core thread + inference worker thread + native libraries), each sample after a full GC; anon = RssAnon (malloc and JS heaps, without mapped files)',
    figures: {
      rssIdleMiB: idle.rssMiB,
      [`rssAt${warm.items}MiB`]: warm.rssMiB,
      [`rssAt${end.items}MiB`]: end.rssMiB,
      peakRssMiB: MiB(process.resourceUsage().maxRSS * 1024),
      heapUsedAtEndMiB: end.heapUsedMiB,
      samples: Object.fromEntries(samples.map((s) => [String(s.items), { rss: s.rssMiB, anon: s.anonMiB, heap: s.heapUsedMiB, external: s.externalMiB }])),
    },
    ratios: { rssGrowthAfterWarmup: growth, rssToIdle: ratio(end.rssMiB, idle.rssMiB) },
    targets: { rssGrowthAfterWarmup: { max: TARGET_GROWTH } },
    met: growth <= TARGET_GROWTH,
  });
  console.log(`RSS idle ${idle.rssMiB} → item ${warm.items} ${warm.rssMiB} → item ${end.items} ${end.rssMiB} MiB; growth after warm-up ${growth}× (target ≤ ${TARGET_GROWTH})`);
} finally {
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
