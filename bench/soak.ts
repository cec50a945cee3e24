/**
 * `npm run soak` (`-- --quick` for a ~2-minute version, `-- --seed=N` to repeat a run, `-- --items=N`): the
 * demo machine — controller simulator on a socat pty, MyRVM server simulator, a kiosk core with real
 * detection as a child process — through thousands of items over many sessions, with faults on a seeded
 * schedule: kill -9 of the core (restarted on the same data folder), serial unplug/replug, server outages,
 * 429 and 5xx storms, malformed replies, realtime drops, items pulled back, disk nearly full, bins filling.
 * Then a final drain, and the count: every item the screen was told was accepted must be at the server by
 * its client id (lost = 0), none twice (duplicated = 0). See docs/reliability.md, "Soak".
 */
import type { ControllerEvent } from '../src/hardware/protocol/index.js';
import type { ItemKind } from '../src/hardware/simulator/sim-settings.js';
import { setLogLevel } from '../src/log/logger.js';
import { Cores } from './soak/cores.js';
import { makeSoakDisk, SOAK_MIN_FREE_BYTES } from './soak/disk.js';
import { FaultInjector } from './soak/faults.js';
import { Ledger } from './soak/ledger.js';
import { makePlan, parseArgs, type FaultKind } from './soak/plan.js';
import { buildReport, writeReport } from './soak/report.js';
import { printReport } from './soak/print.js';
import { coreConfig, SOAK_TIMINGS, startWorld } from './soak/world.js';

setLogLevel('error');
const plan = makePlan(parseArgs(process.argv.slice(2)));
const random = plan.random;
console.log(`soak${plan.quick ? ' (quick)' : ''}: seed ${plan.seed} (repeat with -- --seed=${plan.seed}), ${plan.items} items, kills before item ${plan.killPhaseItems}`);
console.log(`timings: controller ${JSON.stringify(SOAK_TIMINGS)}, belt of ${plan.belt} place(s), detection settle 0 ms, real inference (1 thread)`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const disk = makeSoakDisk();
process.once('exit', () => disk.dispose());
const world = await startWorld(plan.belt);
const drops: Array<Extract<ControllerEvent, { type: 'drop' }>> = [];
world.sim.onEvent((e) => void (e.type === 'drop' && drops.push(e)));
const ledger = new Ledger();
const cores = new Cores(coreConfig(world, { dataDir: disk.dataDir, minFreeBytes: disk.canFill ? SOAK_MIN_FREE_BYTES : 0 }), ledger);
const faults = new FaultInjector({ world, cores, ledger, disk, random });
const model = world.sim.model;
const started = Date.now();
let lastRssAt = 0;
const ticker = setInterval(() => {
  ledger.checkRecoveries();
  if (Date.now() - lastRssAt < 1_000) return;
  lastRssAt = Date.now();
  const rss = cores.rssBytes();
  if (rss !== null) ledger.rss.push({ at: lastRssAt - started, life: cores.life, lifeItems: cores.lifeItems, rss });
}, 50);

/** Photo shown to the camera and the kind the controller weighs: most are accepted, some handed back. */
const ITEMS: Array<{ weight: number; photo: string; kind: ItemKind }> = [
  { weight: 0.35, photo: 'glass-wine-bottle.jpg', kind: 'pet' },
  { weight: 0.2, photo: 'coffee.png', kind: 'glass' },
  { weight: 0.2, photo: 'glass-wine-bottle.jpg', kind: 'glass' },
  { weight: 0.1, photo: 'coffee.png', kind: 'can' }, // wrong weight for a cup: handed back
  { weight: 0.15, photo: 'dog.jpg', kind: 'other' }, // not a container: handed back
];
function pickItem(): { photo: string; kind: ItemKind } {
  let r = random();
  for (const item of ITEMS) if ((r -= item.weight) < 0) return item;
  return ITEMS[0]!;
}

const isIdle = () => model.intake === null && !model.conveyorRunning;
async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await pause(20)) if (check()) return true;
  return check();
}
/** Idle; an item no kiosk handed back (after 8 s) is taken out by hand, and counted (must be 0). */
async function idleOrCleared(): Promise<void> {
  if (await waitUntil(isIdle, 8_000)) return;
  ledger.leftInIntake += 1;
  console.log(`  item left in the intake (life ${cores.life}, phase ${cores.view.phase}, status ${cores.view.status}): taken out by hand`);
  await waitUntil(() => !model.conveyorRunning, 5_000);
  model.takeItem();
}

let sessionLeft = 0;
/** An active session, started if needed; false when the kiosk will not start one (out of service). */
async function ensureSession(): Promise<boolean> {
  await waitUntil(() => cores.view.phase !== 'processing', 5_000);
  if (cores.view.phase === 'active' && sessionLeft > 0) return true;
  if (cores.view.phase === 'active') await cores.call('session.finish').catch(() => undefined);
  await waitUntil(() => cores.view.phase === 'idle', 2_000);
  try {
    await cores.call('session.start', { mode: 'guest' });
  } catch {
    return false;
  }
  ledger.sessionsStarted += 1;
  sessionLeft = 5 + Math.floor(random() * 26);
  return waitUntil(() => cores.view.phase === 'active', 2_000);
}

async function killCore(): Promise<void> {
  const at = Date.now();
  ledger.killTimes.push(at);
  ledger.count('kill');
  if (['active', 'processing'].includes(cores.view.phase)) ledger.sessionsInterruptedByKill += 1;
  const killedLife = cores.life;
  await cores.kill();
  sessionLeft = 0;
  ledger.expectRecovery('kill', at, () => cores.life > killedLife && cores.view.phase === 'active');
  await cores.start();
  // The load cell creeps with every drop; a technician's tare keeps the weights honest.
  await waitUntil(() => !model.conveyorRunning, 3_000);
}

const startMs = await cores.start();
console.log(`first core ready in ${startMs} ms`);
const deferred: FaultKind[] = [];
const emptying = new Set<string>();
for (let i = 0; i < plan.items; i++) {
  const loopStart = Date.now();
  if (i % 20 === 0 && isIdle()) await model.execute({ op: 'tare' });
  for (const bin of ['plastic', 'can', 'glass'] as const) {
    if (model.percent(bin) < 90 || emptying.has(bin)) continue;
    emptying.add(bin);
    faults.binFull(bin);
    setTimeout(() => emptying.delete(bin), 4_000);
  }
  const kinds = [...deferred.splice(0), ...(plan.faults.get(i) ?? [])];
  let kill = false;
  let unplug = false;
  for (const kind of kinds) {
    if (kind === 'kill') kill = true;
    else if (kind === 'unplug') unplug = true;
    else if (!faults.start(kind)) deferred.push(kind);
  }
  const pulledBack = kinds.includes('pulled_back');
  const inSession = await ensureSession();
  if (!inSession) {
    ledger.insertedOutsideSession += 1;
    await pause(300);
  }
  const item = pickItem();
  await cores.call('detection.selectPhoto', { file: item.photo }).catch(() => undefined);
  let resolveSettled: (line: Record<string, unknown> | null) => void = () => undefined;
  const settled = new Promise<Record<string, unknown> | null>((resolve) => (resolveSettled = resolve));
  const off = cores.onItem((line) => resolveSettled(line));
  try {
    model.insertItem(item.kind);
  } catch {
    ledger.insertsRefusedByMachine += 1;
    off();
    await idleOrCleared();
    continue;
  }
  const insertedAt = Date.now();
  ledger.inserted += 1;
  cores.lifeItems += 1;
  sessionLeft -= 1;
  if (unplug) setTimeout(() => faults.start('unplug') || deferred.push('unplug'), random() * 500);
  if (kill) {
    await pause(random() * 700);
    off();
    await killCore();
  } else {
    const timer = setTimeout(() => resolveSettled(null), 15_000);
    const line = await settled;
    clearTimeout(timer);
    off();
    if (kinds.length === 0 && line) ledger.itemMs.push(Date.now() - insertedAt);
    if (pulledBack && line?.accepted === true) ledger.pulledBackToldAccepted += 1;
  }
  await idleOrCleared();
  if (kinds.length === 0) ledger.cycleMs.push(Date.now() - loopStart);
  if (i % 100 === 99) console.log(`  ${i + 1} items, ${Math.round((Date.now() - started) / 1000)} s, life ${cores.life}, rss ${Math.round((cores.rssBytes() ?? 0) / 2 ** 20)} MiB, pending ${cores.view.pending}`);
}

// Final drain: faults off, the outbox empties, every recovery is seen (or given up on).
faults.stop();
await waitUntil(() => cores.view.pending === 0 && cores.view.link === 'online', 120_000);
await waitUntil(() => ledger.openRecoveries === 0, 60_000);
await pause(1_000);
clearInterval(ticker);
ledger.checkRecoveries();
ledger.closeRecoveries();
const inBins = drops.filter((d) => d.bin !== 'reject');
const report = buildReport({
  plan,
  ledger,
  server: world.server,
  droppedIds: inBins.map((d) => d.item).filter((id): id is string => typeof id === 'string'),
  handedBack: drops.length - inBins.length,
  seconds: Math.round((Date.now() - started) / 1000),
  diskFaultSkipped: !disk.canFill,
});
await cores.stopAll();
await world.stop();
printReport(report);
console.log(`written: ${writeReport(report, plan.quick)}`);
// The kiosk's own promises fail the run; duplicates need a de-duplicating server too, so they are reported only.
const f = report.figures as Record<string, number>;
process.exit(f.lost === 0 && f.droppedButNotDelivered === 0 && f.deliveredWithoutDrop === 0 ? 0 : 1);
