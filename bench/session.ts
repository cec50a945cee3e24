/**
 * `npm run bench:session`: a recycler's 10-item visit through the whole demo kiosk — simulated controller over a
 * pty with its default movement timings, real inference on the demo cup photo, the durable outbox — measured
 * from the simulated insertion to the item counted in the session. The product brief asks for a 10-item session
 * "in well under a minute".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKiosk } from '../src/app/create-kiosk.js';
import { kioskConfig } from '../src/app/config-schema.js';
import { REALISTIC_TIMINGS } from '../src/hardware/simulator/sim-settings.js';
import { setLogLevel } from '../src/log/logger.js';
import { ratio, writeResult } from './report/write-result.js';

const ITEMS = 10;
setLogLevel('error');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-bench-session-'));
const kiosk = await createKiosk(kioskConfig.parse({ dataDir }));
const { core } = kiosk;

function itemCounted(count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const state = core.current('session.state');
      if (state && state.items.length >= count && state.phase === 'active') {
        off();
        resolve();
      }
    };
    const off = core.subscribe(check);
    check();
  });
}

await core.call('session.start', { mode: 'guest' });
const latencies: number[] = [];
const started = performance.now();
for (let i = 1; i <= ITEMS; i++) {
  await core.call('detection.selectPhoto', { file: 'coffee.png' });
  const t0 = performance.now();
  await core.call('hardware.simulateInsert', { kind: 'glass' });
  await itemCounted(i);
  latencies.push(performance.now() - t0);
}
const total = performance.now() - started;
const session = core.current('session.state')!;
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
console.log(`10-item demo session: ${session.items.filter((i) => i.accepted).length}/${ITEMS} accepted, ${session.totalPoints} points`);
console.log(`per item, insertion → counted on screen: p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
const mechanics = REALISTIC_TIMINGS.settleMs + REALISTIC_TIMINGS.gateMs + REALISTIC_TIMINGS.conveyorMs;
console.log(`of which simulated mechanics (load-cell settle + gate + conveyor): ${mechanics} ms → the kiosk's own share p50 ${(pct(50) - mechanics).toFixed(0)} ms`);
console.log(`whole session (machine time only, no human): ${(total / 1000).toFixed(1)} s; target "well under a minute"`);
const outbox = await core.call('outbox.status', {});
console.log(`outbox: ${outbox.pushed} delivered, ${outbox.pending} pending`);
const r0 = (v: number) => Math.round(v);
writeResult({
  name: 'session',
  params: { items: ITEMS, photo: 'coffee.png', simulatorTimings: 'realistic', mechanicsMsPerItem: mechanics },
  includes: 'simulated insertion → item counted in session.state, with realistic simulator movements, real inference and the durable outbox; no human time',
  figures: { sessionS: Math.round(total / 100) / 10, itemMs: { p50: r0(pct(50)), p95: r0(pct(95)), max: r0(sorted.at(-1)!) }, kioskShareMs: { p50: r0(pct(50) - mechanics) }, accepted: session.items.filter((i) => i.accepted).length },
  ratios: { sessionToOneMinute: ratio(total, 60_000), itemToMechanicsP50: ratio(pct(50), mechanics) },
  targets: { sessionToOneMinute: { max: 1 } },
  met: total < 60_000,
});
await core.dispose();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
