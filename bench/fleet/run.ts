/**
 * The fleet through an outage: N headless kiosk cores (in a few worker processes) against one server
 * simulator; they settle, deposit, lose the server for `outageMs` (connections reset, realtime refused)
 * while depositing more, and get it back. Measured at the server: requests per second over the first minute
 * after it returns (peak-to-mean), how long until every outbox is empty, and client ids received twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerSimulator } from '../../src/server/simulator/server-simulator.js';
import type { CoreReport } from './messages.js';
import { peakToMean, RequestLog } from './request-rate.js';
import { FleetWorker } from './workers.js';

export interface FleetOptions {
  n: number;
  outageMs: number;
  workers: number;
  /** Quiet time once every core is online, before the first deposits. */
  settleMs: number;
  /** The window after the server returns that peak-to-mean is taken over. */
  windowS: number;
  /** Give up waiting for the outboxes this long after the server returns. */
  drainCeilingMs: number;
  itemsBefore: number;
  itemsDuring: number;
  /** Merged over each core's configuration (the smoke test shortens the spreads and backoffs). */
  overrides?: Record<string, unknown>;
  progress?: (line: string) => void;
}

export interface FleetFigures {
  n: number;
  outage_s: number;
  peak_to_mean: number;
  peak_rps: number;
  mean_rps: number;
  /** From the server's return until every outbox is empty; null if the ceiling came first. */
  drain_s: number | null;
  duplicates: number;
  lost: number;
  credits: number;
  /** Requests in the first second of the outage, per core (retries fired at once when the server went away). */
  outage_first_second_per_core: number;
  rss_per_core_mib: number;
  heap_per_core_mib: number;
  /** Whole worker RSS (Node, code, libraries included) divided by the cores in it: the upper bound. */
  process_rss_per_core_mib: number;
  startup_per_core_ms: number;
  startup_per_core_p95_ms: number;
  settle_s: number;
  per_second_after_return: number[];
  /** What the outage's first second and the busiest second after the return were made of, per path. */
  outage_first_second_paths: Record<string, number>;
  busiest_second_paths: Record<string, number>;
  /** Per path, requests per second from 5 s before the outage to the end of the window after it. */
  trace: { from: 'outage-5s'; seconds: number; paths: Record<string, number[]> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFleet(opts: FleetOptions): Promise<FleetFigures> {
  const say = opts.progress ?? (() => undefined);
  const requests = new RequestLog();
  // Every real kiosk has its own address and so its own bucket of the kiosk routes' throttle:60,1; on
  // loopback they would all share one, so the simulator's throttle is lifted.
  const sim = await startServerSimulator({ realtime: true, kioskThrottlePerMinute: 1_000_000, onRequest: (path, at) => requests.add(at, path) });
  const base = mkdtempSync(path.join(os.tmpdir(), 'rvm-fleet-'));
  const workers: FleetWorker[] = [];
  try {
    const config = merge({
      hardware: { mode: 'simulator', simulator: { timings: 'instant', transport: 'in-process' } },
      detection: { mode: 'off' },
      server: {
        mode: 'remote',
        url: sim.url,
        credentials: sim.credentials,
        realtime: { appKey: sim.pusherAppKey ?? '', host: '127.0.0.1', port: sim.port, scheme: 'ws' },
      },
    }, opts.overrides ?? {});
    const perWorker = Math.ceil(opts.n / opts.workers);
    const startupMs: number[] = [];
    const baselines: Array<{ rss: number; heap: number }> = [];
    const tStart = Date.now();
    for (let w = 0; w * perWorker < opts.n; w += 1) {
      const worker = await FleetWorker.spawn();
      workers.push(worker);
      const cores = Array.from({ length: Math.min(perWorker, opts.n - w * perWorker) }, (_, i) => {
        const index = w * perWorker + i;
        return { index, dataDir: path.join(base, `kiosk-${index}`) };
      });
      const started = await worker.ask({ type: 'start', cores, config }, 'started');
      startupMs.push(...started.startupMs);
      baselines.push({ rss: started.rssBaseline, heap: started.heapBaseline });
      say(`worker ${w + 1}: ${cores.length} cores started (${Math.round(mean(started.startupMs))} ms each)`);
    }

    const reports = async (): Promise<CoreReport[]> => (await Promise.all(workers.map((w) => w.ask({ type: 'report' }, 'report')))).flatMap((r) => r.cores);
    let lastSaid = Date.now();
    const settled = async () => {
      const all = await reports();
      const done = all.every((c) => c.link === 'online' && c.realtime === 'realtime' && c.ready);
      if (!done && Date.now() - lastSaid > 15_000) {
        lastSaid = Date.now();
        const count = (key: keyof CoreReport) => JSON.stringify(all.reduce<Record<string, number>>((acc, c) => ((acc[String(c[key])] = (acc[String(c[key])] ?? 0) + 1), acc), {}));
        say(`waiting: link ${count('link')}, realtime ${count('realtime')}, machine ${count('state')}`);
      }
      return done;
    };
    await until(settled, 180_000, 'every core online with realtime');
    const settleS = (Date.now() - tStart) / 1000;
    say(`all ${opts.n} online with realtime after ${settleS.toFixed(1)} s; settling ${opts.settleMs / 1000} s`);
    await sleep(opts.settleMs);
    // Measured after settling, so what the first minute of running allocates is counted too.
    const settledRss = await Promise.all(workers.map((w) => w.ask({ type: 'report', rss: true }, 'report')));
    // RSS rarely shrinks after a GC, so a core can reuse pages the start-up freed: the RSS growth per core is a
    // floor; the JS heap per core and the whole process RSS per core (shared code included) bracket it.
    const rssGrowth = settledRss.reduce((a, r, w) => a + r.rss - baselines[w]!.rss, 0);
    const heapGrowth = settledRss.reduce((a, r, w) => a + r.heapUsed - baselines[w]!.heap, 0);
    const rssTotal = settledRss.reduce((a, r) => a + r.rss, 0);

    const deposit = async (items: number) => (await Promise.all(workers.map((w) => w.ask({ type: 'deposit', items }, 'deposited')))).flatMap((r) => r.ids);
    const credited = await deposit(opts.itemsBefore);
    await until(async () => (await reports()).every((c) => c.pending === 0), 120_000, 'the first deposits delivered');
    say(`${credited.length} credits delivered before the outage`);

    const outageAt = Date.now();
    sim.outage(opts.outageMs, 'drop');
    say(`server away for ${opts.outageMs / 1000} s`);
    // Deposits start a little into the outage, so its first second shows what the kiosks do by themselves.
    await sleep(Math.min(3_000, opts.outageMs / 2));
    credited.push(...(await deposit(opts.itemsDuring)));
    const backAt = outageAt + opts.outageMs;
    await sleep(Math.max(0, backAt - Date.now()));
    say(`server back; ${(await reports()).reduce((a, c) => a + c.pending, 0)} credits waiting`);

    let drainedAt: number | null = null;
    for (;;) {
      const now = Date.now();
      if (drainedAt === null && (await reports()).every((c) => c.pending === 0)) {
        drainedAt = now;
        say(`every outbox empty ${((drainedAt - backAt) / 1000).toFixed(1)} s after the server returned`);
      }
      const windowDone = now >= backAt + opts.windowS * 1000;
      if (windowDone && (drainedAt !== null || now >= backAt + opts.drainCeilingMs)) break;
      await sleep(500);
    }

    const perSecond = requests.perSecond(backAt, opts.windowS);
    const total = perSecond.reduce((a, b) => a + b, 0);
    const received = sim.state.receivedClientIds();
    const receivedSet = new Set(received);
    const sorted = [...startupMs].sort((a, b) => a - b);
    return {
      n: opts.n,
      outage_s: opts.outageMs / 1000,
      peak_to_mean: round(peakToMean(perSecond), 2),
      peak_rps: Math.max(0, ...perSecond),
      mean_rps: round(total / opts.windowS, 1),
      drain_s: drainedAt === null ? null : round((drainedAt - backAt) / 1000, 1),
      duplicates: sim.state.duplicateClientIds().length,
      lost: credited.filter((id) => !receivedSet.has(id)).length,
      credits: credited.length,
      outage_first_second_per_core: round(requests.perSecond(outageAt, 1)[0]! / opts.n, 2),
      rss_per_core_mib: round(rssGrowth / opts.n / 1024 / 1024, 1),
      heap_per_core_mib: round(heapGrowth / opts.n / 1024 / 1024, 2),
      process_rss_per_core_mib: round(rssTotal / opts.n / 1024 / 1024, 1),
      startup_per_core_ms: Math.round(mean(startupMs)),
      startup_per_core_p95_ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0),
      settle_s: round(settleS, 1),
      per_second_after_return: perSecond,
      outage_first_second_paths: requests.pathsBetween(outageAt, 1000),
      trace: { from: 'outage-5s', seconds: 5 + opts.outageMs / 1000 + opts.windowS, paths: requests.series(outageAt - 5_000, 5 + opts.outageMs / 1000 + opts.windowS) },
      busiest_second_paths: requests.pathsBetween(backAt + perSecond.indexOf(Math.max(...perSecond)) * 1000, 1000),
    };
  } finally {
    await Promise.all(workers.map((w) => Promise.race([w.ask({ type: 'stop' }, 'stopped'), sleep(15_000)]).catch(() => undefined)));
    workers.forEach((w) => w.kill());
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
}

async function until(check: () => Promise<boolean>, ceilingMs: number, what: string): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`fleet: gave up after ${ceilingMs / 1000} s waiting for ${what}`);
    await sleep(500);
  }
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    const bothObjects = [under, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? merge(under as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
