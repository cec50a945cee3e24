/**
 * `npm run bench`: runs every benchmark in turn (each also has its own script) and prints their figures.
 * Benchmarks print numbers and ratios; they never pass or fail on time, because our machines are shared and
 * noisy — compare ratios measured within one run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benches = ['serial', 'detect', 'outbox', 'session', 'monitoring'];
let failed = 0;
for (const name of benches) {
  const file = path.join(here, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n=== bench:${name} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
