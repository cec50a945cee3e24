/**
 * `npm run bench:throughput [-- --quick] [-- --minutes 5] [-- --belt 3] [-- --gap-ms 200]`: items per minute a
 * whole kiosk sustains with the controller simulator's realistic movement timings on a real pty, real
 * inference on a demo photo and the durable outbox — items pipelined on a belt of several places
 * (protocol 3), against the same machine with one place (protocol 2, one item at a time) as the floor.
 * A recycler is simulated feeding the next bottle `gap-ms` after the intake frees; sessions of 40 items;
 * a technician empties a bin at 80 %. Also reports where each millisecond of an item goes:
 * intake → photo → detection → (weight, custody journal, sort) → ride → drop → durable credit on screen.
 * Zero lost / zero doubled is checked: every accepted item has exactly one credit in the outbox, by its id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kioskConfig } from '../src/app/config-schema.js';
import { createKiosk } from '../src/app/create-kiosk.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort } from '../src/hardware/simulator/port-runner.js';
import { REALISTIC_TIMINGS, type ItemKind } from '../src/hardware/simulator/sim-settings.js';
import { SocatPtyPair } from '../src/hardware/transport/socat-pty.js';
import { startServerSimulator } from '../src/server/simulator/server-simulator.js';
import { setLogLevel } from '../src/log/logger.js';
import { stageFigures, type ItemTimes } from './throughput-stages.js';
import { ratio, writeResult } from './report/write-result.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    belt: { type: 'string', default: '3' },
    'gap-ms': { type: 'string', default: '200' },
  },
});
const minutes = Number(values.minutes ?? (values.quick ? 1 : 5));
const belt = Number(values.belt);
const gapMs = Number(values['gap-ms']);
const floorMinutes = values.quick ? 0.5 : 1;
const SESSION_ITEMS = 40;
const PHOTO = 'glass-wine-bottle.jpg';
setLogLevel('error');

interface RunResult {
  perMinute: number;
  accepted: number;
  ended: number;
  lost: number;
  doubled: number;
  items: ItemTimes[];
}

async function run(places: number, runMinutes: number): Promise<RunResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-bench-throughput-'));
  const pair = await SocatPtyPair.create('rvm-bench-pty-');
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, timings: REALISTIC_TIMINGS, belt: places });
  const running = runSimulatorOnPort(sim, pair.devicePath);
  const server = await startServerSimulator({ realtime: false, confidenceThreshold: 0.4 }); // as the demo's simulator serves
  const kiosk = await createKiosk(
    kioskConfig.parse({
      dataDir,
      hardware: { mode: 'serial', serial: { path: pair.hostPath } },
      server: { mode: 'remote', url: server.url, credentials: server.credentials },
      session: { activeIdleMs: 600_000 },
    }),
  );
  const { core } = kiosk;
  const times = new Map<string, Partial<ItemTimes>>();
  const byOrder: Array<Partial<ItemTimes>> = [];
  /** Items the detector accepted, waiting for their sort (which names them): one intake, so in order. */
  const awaitingSort: Array<Partial<ItemTimes>> = [];
  let results = 0;
  sim.onEvent((event) => {
    if (event.type === 'item' && event.present) byOrder.push({ present: performance.now() });
    if (event.type === 'drop' && event.item) (times.get(event.item) ?? {}).drop = performance.now();
  });
  sim.onTrace((line) => {
    const sort = /^<- sort (plastic|can|glass) (\S+)\s+-> ACK/.exec(line);
    if (!sort) return;
    const entry: Partial<ItemTimes> = { ...(awaitingSort.shift() ?? {}), ...times.get(sort[2]!), sortAck: performance.now() };
    times.set(sort[2]!, entry);
  });
  const offResult = core.subscribe((name, payload) => {
    if (name !== 'detection.result') return;
    const entry = byOrder[results++];
    const result = payload as { accepted: boolean; timings?: ItemTimes['detection'] };
    if (entry && result.timings) Object.assign(entry, { result: performance.now(), detection: result.timings });
    if (entry && result.accepted) awaitingSort.push(entry);
  });
  const seenOnScreen = new Set<string>();
  const outcomes: Record<string, number> = {};
  let onScreen = 0;
  const offScreen = core.subscribe((name, payload) => {
    if (name !== 'session.state') return;
    for (const item of (payload as { items: Array<{ id: string; accepted: boolean; outcome: string }> }).items) {
      if (seenOnScreen.has(item.id)) continue;
      seenOnScreen.add(item.id);
      outcomes[item.outcome] = (outcomes[item.outcome] ?? 0) + 1;
      onScreen++;
      const entry = times.get(item.id);
      if (entry && item.accepted) entry.screen = performance.now();
    }
  });

  await core.call('session.start', { mode: 'guest' });
  const kinds: ItemKind[] = ['pet', 'glass'];
  const deadline = performance.now() + runMinutes * 60_000;
  const started = performance.now();
  let inserted = 0;
  const accepted = new Set<string>();
  while (performance.now() < deadline) {
    await until(() => sim.model.intake === null);
    await sleep(gapMs);
    if (inserted > 0 && inserted % SESSION_ITEMS === 0) {
      await until(() => core.current('session.state')?.phase === 'active');
      await core.call('session.finish', {});
      await until(() => core.current('session.state')?.phase === 'finished');
      await core.call('session.start', { mode: 'guest' });
    }
    for (const bin of ['plastic', 'glass'] as const) if (sim.model.percent(bin) >= 80) sim.model.setBinPercent(bin, 0);
    await until(() => core.current('session.state')?.phase === 'active');
    await core.call('detection.selectPhoto', { file: PHOTO }); // the folder camera serves it next
    sim.model.insertItem(kinds[inserted % kinds.length]!);
    inserted++;
  }
  await until(() => onScreen >= inserted, 30_000);
  const elapsed = performance.now() - started;
  for (const id of seenOnScreen) if (times.get(id)?.screen !== undefined) accepted.add(id);
  // Every credit told on screen must reach the server once, by its client id.
  await untilAsync(async () => (await core.call('outbox.status', {})).pending === 0, 120_000);
  const delivered = new Set(server.state.receivedClientIds());
  const lost = [...accepted].filter((id) => !delivered.has(id)).length;
  const doubled = server.state.duplicateClientIds().length;
  if (Object.keys(outcomes).some((o) => o !== 'accepted')) console.log(`  outcomes on a belt of ${places}: ${JSON.stringify(outcomes)}`);
  offResult();
  offScreen();
  await core.dispose();
  sim.stop();
  await running.stop();
  await pair.dispose();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  const items = [...times.values()].filter((t): t is ItemTimes => t.present !== undefined && t.screen !== undefined && t.detection !== undefined && t.sortAck !== undefined && t.drop !== undefined);
  return { perMinute: (accepted.size / elapsed) * 60_000, accepted: accepted.size, ended: onScreen, lost, doubled, items };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
async function untilAsync(check: () => Promise<boolean>, ceilingMs: number): Promise<void> {
  const end = performance.now() + ceilingMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`the outbox did not drain within ${ceilingMs / 1000} s`);
    await sleep(100);
  }
}
async function until(check: () => boolean, ceilingMs = 15_000): Promise<void> {
  const end = performance.now() + ceilingMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('the kiosk stopped making progress (waited 15 s)');
    await sleep(5);
  }
}

console.log(`throughput: ${minutes} min on a belt of ${belt} places, then ${floorMinutes} min one item at a time; realistic timings, ${gapMs} ms between a free intake and the next bottle`);
const pipelined = await run(belt, minutes);
const single = await run(1, floorMinutes);
const stages = stageFigures(pipelined.items);
console.log(`belt ${belt}: ${pipelined.perMinute.toFixed(1)} items/min sustained over ${minutes} min (${pipelined.accepted} accepted of ${pipelined.ended}); lost ${pipelined.lost}, doubled ${pipelined.doubled}`);
console.log(`belt 1 (one at a time): ${single.perMinute.toFixed(1)} items/min over ${floorMinutes} min`);
console.log('where an item\'s milliseconds go (p50 / p95):');
for (const [stage, figure] of Object.entries(stages)) console.log(`  ${stage.padEnd(26)} ${String(figure.p50).padStart(6)} / ${String(figure.p95).padStart(6)} ms`);
const met = pipelined.perMinute >= 60 && pipelined.lost === 0 && pipelined.doubled === 0 && single.lost === 0 && single.doubled === 0;
writeResult({
  name: 'throughput',
  params: { minutes, belt, gapMs, floorMinutes, sessionItems: SESSION_ITEMS, photo: PHOTO, timings: REALISTIC_TIMINGS },
  includes: 'accepted items per minute from the first insertion to the last result on screen, a simulated recycler feeding the next bottle gap-ms after the intake frees; realistic simulator movements over a pty, real inference, durable outbox',
  figures: {
    itemsPerMinute: Math.round(pipelined.perMinute * 10) / 10,
    oneAtATimeItemsPerMinute: Math.round(single.perMinute * 10) / 10,
    accepted: pipelined.accepted,
    lost: pipelined.lost + single.lost,
    doubled: pipelined.doubled + single.doubled,
    stagesMs: stages,
  },
  ratios: { pipelinedVsOneAtATime: ratio(pipelined.perMinute, single.perMinute), itemsPerMinuteVs60: ratio(pipelined.perMinute, 60) },
  targets: { itemsPerMinute: { min: 60 }, lost: { max: 0 }, doubled: { max: 0 } },
  met,
});
process.exit(0);
