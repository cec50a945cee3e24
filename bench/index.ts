/**
 * `npm run bench`: builds once, runs every quick benchmark in turn (each also has its own script), then writes
 * bench-output/report.json and report.md from whatever bench-output/*.json exist. The long ones (fleet, soak,
 * the full fuzz) run only with `--all`; otherwise their last output is read and its age shown. A benchmark
 * that fails or is not there yet does not stop the others: the report marks it stale or missing.
 *   npm run bench [-- --all] [-- --only serial,memory] [-- --skip-build] [-- --report-only]
 * Benchmarks never pass or fail on time: our machines are shared and noisy, so targets judge ratios within a run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG, type BenchSpec } from './report/catalog.js';
import { writeReport } from './report/collect.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const all = process.argv.includes('--all');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : null;
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** How to run one benchmark, or why it cannot run: its file under tsx, or (long ones) its npm script. */
function command(spec: BenchSpec): string[] | string {
  const script = spec.script.replace(/^npm run /, '');
  if (spec.long) return scripts[script] ? ['npm', 'run', script] : `no "${script}" script yet`;
  const file = path.join(root, 'bench', `${spec.name}.ts`);
  return existsSync(file) ? [process.execPath, '--import', 'tsx', file] : `no bench/${spec.name}.ts yet`;
}

const runStartedAt = Date.now();
const reportOnly = process.argv.includes('--report-only');
const chosen = reportOnly ? [] : CATALOG.filter((s) => (only ? only.has(s.name) : s.quick || (all && s.long)));
// flow needs the renderer bundle and cold-start the compiled core: build both once, up front.
if (!process.argv.includes('--skip-build') && chosen.some((s) => s.name === 'flow' || s.name === 'cold-start')) {
  console.log('=== npm run build');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) console.error('build failed: flow and cold-start will be stale');
}
const refreshed = new Set<string>();
const failed: string[] = [];
for (const spec of chosen) {
  const cmd = command(spec);
  if (typeof cmd === 'string') {
    console.log(`\n=== ${spec.name}: skipped, ${cmd}`);
    continue;
  }
  console.log(`\n=== ${spec.name}: ${spec.what}`);
  refreshed.add(spec.name);
  const run = spawnSync(cmd[0]!, cmd.slice(1), { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed.push(spec.name);
}

const { report, markdown, files } = writeReport(runStartedAt, refreshed);
console.log(`\n${markdown}`);
console.log(`wrote ${files.join(' and ')}`);
if (failed.length > 0) console.log(`failed to run: ${failed.join(', ')} (marked stale or missing in the report)`);
// Unmet targets are figures to read, not a failure; a benchmark that could not run or wrote a broken result is.
process.exit(failed.length > 0 || report.summary.invalid > 0 ? 1 : 0);
