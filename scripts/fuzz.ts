/**
 * `npm run fuzz`: the fuzz families (test/fuzz/**) at their full counts (FUZZ_FULL=1), then one table of
 * counts per family and bench-output/fuzz.json in the benchmarks' shape. `npm test` runs the same files at
 * reduced counts and writes nothing. Extra arguments go to vitest (e.g. `npm run fuzz -- -t serial`);
 * FUZZ_SEED=<n> replays a seed a failure printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FAMILIES = ['serial', 'server', 'contract', 'config'] as const;
const figuresDir = path.resolve('bench-output', 'fuzz');
rmSync(figuresDir, { recursive: true, force: true });

const run = spawnSync('npx', ['vitest', 'run', '--project', 'node', 'test/fuzz', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_FULL: '1' },
});
const passed = run.status === 0;

const families: Record<string, Record<string, number | string>> = {};
if (existsSync(figuresDir)) {
  for (const file of readdirSync(figuresDir).filter((f) => f.endsWith('.json'))) {
    const { family, figures } = JSON.parse(readFileSync(path.join(figuresDir, file), 'utf8')) as { family: string; figures: Record<string, number | string> };
    families[family] = figures;
  }
}

const num = (family: string, key: string) => Number(families[family]?.[key] ?? 0);
const counts = {
  serialFrames: num('serial', 'frames'),
  serverReplies: num('server', 'replies') + num('server', 'backgroundReplies'),
  contractMessages: num('contract', 'messages') + num('contract', 'floodMessages'),
  configFiles: num('config', 'configs'),
};
const ran = FAMILIES.filter((f) => families[f]);
const figures = {
  ...counts,
  families: ran.length,
  crashes: passed ? 0 : 1,
  hangs: 0,
  peakRssMiB: Math.max(0, ...ran.map((f) => num(f, 'peakRssMiB'))),
  peakHeapMiB: Math.max(0, ...ran.map((f) => num(f, 'peakHeapMiB'))),
  maxRetainedHeapGrowthMiB: Math.max(0, ...ran.map((f) => num(f, 'retainedHeapGrowthMiB'))),
  slowReaderPeakQueuedKiB: num('contract', 'slowReaderPeakQueuedKiB'),
};
// The shared shape (bench/report/write-result.ts): a plain number is an upper bound, `{ min }` a lower one.
const targets = { serialFrames: { min: 100_000 }, crashes: 0, hangs: 0, families: { min: FAMILIES.length }, maxRetainedHeapGrowthMiB: 48 };
const met = passed && ran.length === FAMILIES.length && counts.serialFrames >= targets.serialFrames.min;

console.log('\nfuzz (full counts)');
console.log('| family | count | peak RSS MiB | peak heap MiB | retained heap growth MiB | normal item after |');
console.log('|---|---|---|---|---|---|');
const countOf = { serial: counts.serialFrames, server: counts.serverReplies, contract: counts.contractMessages, config: counts.configFiles };
for (const f of FAMILIES) {
  const fig = families[f];
  console.log(fig ? `| ${f} | ${countOf[f]} | ${fig.peakRssMiB} | ${fig.peakHeapMiB} | ${fig.retainedHeapGrowthMiB} | ${fig.normalItemAfter === 1 ? 'yes' : 'no'} |` : `| ${f} | did not finish | | | | |`);
}
console.log(`\n${met ? 'met' : 'NOT met'}: crashes ${figures.crashes}, hangs ${figures.hangs}, ${ran.length}/${FAMILIES.length} families`);

mkdirSync(path.resolve('bench-output'), { recursive: true });
writeFileSync(path.resolve('bench-output', 'fuzz.json'), `${JSON.stringify({ name: 'fuzz', figures, ratios: {}, targets, met, families }, null, 2)}\n`);
console.log('wrote bench-output/fuzz.json');
process.exit(passed ? 0 : 1);
