/**
 * The fleet through a server outage (issue 15): N headless kiosk cores with detection off against one server
 * simulator, which goes away for a while and comes back. Prints the recovery figures and writes
 * bench-output/fleet.json. Targets: peak-to-mean request rate ≤ 2 over the first minute after the server
 * returns, every outbox empty within 2 minutes, no credit twice.
 *   npm run fleet                 N = 200, 120 s outage (about 5 minutes on 2 cores)
 *   npm run fleet -- --quick      N = 50, 20 s outage (about 2 minutes)
 *   npm run fleet -- --n 100 --outage 60 --workers 4
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { runFleet } from './fleet/run.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes('--quick');
const n = Number(arg('n') ?? (quick ? 50 : 200));
const outageS = Number(arg('outage') ?? (quick ? 20 : 120));
const workers = Number(arg('workers') ?? Math.max(1, Math.min(8, Math.ceil(n / 50))));
const targets = { peak_to_mean: 2, drain_s: 120, duplicates: 0, lost: 0 };

const figures = await runFleet({
  n,
  outageMs: outageS * 1000,
  workers,
  settleMs: Number(arg('settle') ?? (quick ? 10 : 30)) * 1000,
  windowS: 60,
  drainCeilingMs: 180_000,
  itemsBefore: 1,
  itemsDuring: 2,
  progress: (line) => console.log(`  ${line}`),
});

const met =
  figures.peak_to_mean <= targets.peak_to_mean &&
  figures.drain_s !== null &&
  figures.drain_s <= targets.drain_s &&
  figures.duplicates === 0 &&
  figures.lost === 0;
const { per_second_after_return: perSecond, outage_first_second_paths: outagePaths, busiest_second_paths: busiestPaths, trace, ...headline } = figures;
const result = {
  name: 'fleet',
  figures: headline,
  ratios: { peak_to_mean: figures.peak_to_mean },
  targets,
  met,
  detail: { per_second_after_return: perSecond, outage_first_second_paths: outagePaths, busiest_second_paths: busiestPaths, workers, load_average: os.loadavg().map((l) => Math.round(l * 100) / 100), cpus: os.cpus().length, at: new Date().toISOString() },
};
mkdirSync('bench-output', { recursive: true });
writeFileSync('bench-output/fleet.json', `${JSON.stringify(result, null, 2)}\n`);
// Per path and second, for finding what a busy second was made of; in a subfolder, so the report (which reads
// bench-output/*.json) does not take it for a benchmark.
if (process.argv.includes('--trace')) {
  mkdirSync('bench-output/traces', { recursive: true });
  writeFileSync('bench-output/traces/fleet.json', `${JSON.stringify(trace)}\n`);
}

console.log(`fleet of ${n} kiosk cores, ${outageS} s outage (${workers} worker processes, load average ${result.detail.load_average.join(' ')})`);
console.log(`  peak-to-mean request rate, first minute after return: ${figures.peak_to_mean} (peak ${figures.peak_rps}/s, mean ${figures.mean_rps}/s; target ≤ ${targets.peak_to_mean})`);
console.log(`  every outbox empty: ${figures.drain_s === null ? 'NOT within the ceiling' : `${figures.drain_s} s`} after return (target ≤ ${targets.drain_s} s)`);
console.log(`  credits ${figures.credits}, duplicates ${figures.duplicates}, lost ${figures.lost}`);
console.log(`  requests in the outage's first second per core: ${figures.outage_first_second_per_core}`);
console.log(`  RSS per core ${figures.rss_per_core_mib} MiB (JS heap ${figures.heap_per_core_mib} MiB; whole worker RSS / cores ${figures.process_rss_per_core_mib} MiB); start-up per core ${figures.startup_per_core_ms} ms (p95 ${figures.startup_per_core_p95_ms} ms); all online after ${figures.settle_s} s`);
console.log(`  per second after return: ${perSecond.join(' ')}`);
console.log(`  busiest second: ${JSON.stringify(busiestPaths)}; outage's first second: ${JSON.stringify(outagePaths)}`);
console.log(`  ${met ? 'targets met' : 'targets NOT met'}; wrote bench-output/fleet.json`);
