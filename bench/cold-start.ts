/**
 * `npm run bench:cold-start`: how long the compiled core (dist/, plain Node, no tsx) takes from process start to
 * ready — `system.status` reporting `ready`: controller simulator connected over its pty, server simulator
 * handshake done, model loaded in the inference worker — run headless with a fresh data folder each time, as
 * after a power cut. Next to it, in the same run: a bare `node -e ""` (the floor no code of ours can beat)
 * and the same start under tsx (the development path), to show what compiling buys.
 * `npm run bench:cold-start` builds first; `tsx bench/cold-start.ts` uses the dist/ already there.
 * Target: the compiled start is not slower than tsx's (ratio ≤ 1); readyToBareNode is there to read and compare.
 *   npm run bench:cold-start [-- --runs 3]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratio, writeResult } from './report/write-result.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'main', 'cli', 'main.js');
const source = path.join(root, 'main', 'cli', 'main.ts');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 3;
const READY_WITHIN_MS = 120_000;

interface Start {
  /** Spawn → the start line (configuration read, modules loaded). */
  firstLineMs: number;
  /** Spawn → system.status ready. */
  readyMs: number;
}

/** One start in a fresh data folder and working directory (no ./rvm-kiosk.json is picked up). */
function startOnce(args: string[]): Promise<Start> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rvm-bench-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, [...args, 'start', '--headless'], { cwd: dir, env: { ...process.env, RVM__dataDir: path.join(dir, 'data') }, stdio: ['ignore', 'pipe', 'inherit'] });
  let firstLineMs = 0;
  let buffered = '';
  return new Promise<Start>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${READY_WITHIN_MS} ms`)), READY_WITHIN_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!firstLineMs && line.startsWith('RVM kiosk starting')) firstLineMs = performance.now() - started;
        if (line.startsWith('{"event":"system.status"') && (JSON.parse(line) as { payload: { state: string } }).payload.state === 'ready') {
          clearTimeout(timer);
          resolve({ firstLineMs, readyMs: performance.now() - started });
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`core exited (code ${code}) before it was ready`)));
  }).finally(async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
}

function bareNodeMs(): number {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '']);
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r0 = (v: number) => Math.round(v);

if (!existsSync(compiled)) throw new Error(`no compiled core at ${compiled}: run npm run build (npm run bench:cold-start does)`);
const compiledStarts: Start[] = [];
const tsxStarts: Start[] = [];
const bare: number[] = [];
// Interleaved, so load from other processes falls on all three alike; the first of each warms the file cache.
for (let i = 0; i <= RUNS; i++) {
  const b = bareNodeMs();
  const c = await startOnce([compiled]);
  const t = await startOnce(['--import', import.meta.resolve('tsx'), source]);
  if (i === 0) continue;
  bare.push(b);
  compiledStarts.push(c);
  tsxStarts.push(t);
  console.log(`run ${i}: bare node ${r0(b)} ms, compiled ready ${r0(c.readyMs)} ms (start line ${r0(c.firstLineMs)}), tsx ready ${r0(t.readyMs)} ms`);
}
const figures = {
  bareNodeMs: { p50: r0(median(bare)) },
  startLineMs: { p50: r0(median(compiledStarts.map((s) => s.firstLineMs))) },
  readyMs: { p50: r0(median(compiledStarts.map((s) => s.readyMs))), max: r0(Math.max(...compiledStarts.map((s) => s.readyMs))) },
  tsxReadyMs: { p50: r0(median(tsxStarts.map((s) => s.readyMs))) },
};
const compiledToTsx = ratio(figures.readyMs.p50, figures.tsxReadyMs.p50);
console.log(`cold start to ready, compiled: p50 ${figures.readyMs.p50} ms (start line ${figures.startLineMs.p50} ms); under tsx ${figures.tsxReadyMs.p50} ms; bare node ${figures.bareNodeMs.p50} ms`);
writeResult({
  name: 'cold-start',
  params: { runs: RUNS, entry: 'dist/main/cli/main.js start --headless', dataDir: 'fresh per run', warmup: 1 },
  includes: 'spawn → system.status ready: Node start, module loading, configuration, controller simulator on a pty, server simulator and handshake, model load in the inference worker; the file cache is warm (first run discarded)',
  figures,
  ratios: { compiledToTsx, readyToBareNode: ratio(figures.readyMs.p50, figures.bareNodeMs.p50) },
  targets: { compiledToTsx: { max: 1 } },
  met: compiledToTsx <= 1,
});
process.exit(0);
