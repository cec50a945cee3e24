/**
 * `npm run bench:flow`: item present → result on the recycler's screen, in Debian's Chromium through the browser
 * host, against the demo kiosk (simulated controller with instant movements, real inference on the demo photos,
 * durable custody journal and outbox). Next to it, in the same run and for the same items, detection alone: the
 * classifier's own timing (photo from the folder camera + decode/resize + inference + decode/NMS) from its
 * `detection.result`. The kiosk's overhead = flow − detection, per item.
 *
 * Included in the flow: the simulator's item-present and weight messages over the serial link, the deposit
 * pipeline (weigh → classify → journal → sort → drop confirmation), the session update, the WebSocket to
 * Chromium, React's render, up to the DOM change (before paint; one frame is at most 16.7 ms more). Left out:
 * real mechanics (instant simulator timings) and the detection settle delay (set to 0 here; 150 ms by default).
 *
 * Target (issue 11): overhead p95 ≤ 50 ms. Shared machines are noisy: compare figures from the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBrowserHost } from '../main/browser-host/browser-host.js';
import { rendererDir } from '../main/project-paths.js';
import { kioskConfig } from '../src/app/config-schema.js';
import { createKiosk } from '../src/app/create-kiosk.js';
import { setLogLevel } from '../src/log/logger.js';
import { armResultMark, clockOffset, nowEpoch, openKioskPage, resultShownAt } from './flow-page.js';
import { writeResult } from './report/write-result.js';

const ITEMS = Number(process.env.RVM_BENCH_ITEMS ?? 30);
/**
 * The demo's accepted-as-glass photos, in turn. Only accepted items: a rejected one is handed back and stays in
 * the intake until someone takes it, which is a person's time, not the kiosk's. RVM_BENCH_PHOTOS=a.jpg,b.png overrides.
 */
const PHOTOS = (process.env.RVM_BENCH_PHOTOS ?? 'glass-wine-bottle.jpg,coffee.png').split(',');
const TARGET_OVERHEAD_P95_MS = 50;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
const round = (v: number) => Math.round(v * 10) / 10;
const stats = (xs: number[]) => ({ p50: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)), max: round(Math.max(...xs)) });

setLogLevel('error');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-bench-flow-'));
const kiosk = await createKiosk(
  kioskConfig.parse({ dataDir, hardware: { simulator: { timings: 'instant' } }, detection: { settleMs: 0 } }),
);
const { core } = kiosk;
const host = await startBrowserHost({ core, rendererDir: rendererDir() });
const { browser, page } = await openKioskPage(host.url);

type Timings = { totalMs: number; inferenceMs: number; seenAt: number };
const detections: Timings[] = [];
/** When the core published each item in session.state: splits the overhead into core and screen shares. */
const counted: number[] = [];
core.subscribe((name, payload) => {
  if (name === 'session.state') {
    const items = (payload as { items: unknown[] }).items.length;
    if (items > counted.length) counted.push(nowEpoch());
  }
  if (name !== 'detection.result') return;
  const timings = (payload as { timings?: Timings }).timings;
  if (timings) detections.push({ ...timings, seenAt: nowEpoch() });
});

/** Resolves once the session takes the next item (phase active: the last one has dropped into its bin). */
function readyForItem(): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (core.current('session.state')?.phase !== 'active') return;
      off();
      resolve();
    };
    const off = core.subscribe(check);
    check();
  });
}

try {
  await page.getByTestId('attract-screen').waitFor({ timeout: 30_000 });
  await core.call('session.start', { mode: 'guest' });
  await page.getByTestId('session-screen').waitFor();
  const clockBefore = await clockOffset(page);

  const flow: number[] = [];
  const detection: number[] = [];
  const inference: number[] = [];
  const overhead: number[] = [];
  const coreShare: number[] = [];
  const screenShare: number[] = [];
  const beforeDetection: number[] = [];
  const afterDetection: number[] = [];
  const outcomes = new Map<string, number>();
  for (let i = 0; i < ITEMS + 2; i++) {
    await readyForItem();
    await core.call('detection.selectPhoto', { file: PHOTOS[i % PHOTOS.length]! });
    await armResultMark(page);
    const seen = detections.length;
    const insertedAt = nowEpoch();
    await core.call('hardware.simulateInsert', { kind: 'glass' });
    const shownAt = (await resultShownAt(page, 20_000)) - clockBefore.offsetMs;
    const item = core.current('session.state')!.items.at(-1)!;
    const result = detections[seen];
    if (!item.accepted) throw new Error(`${PHOTOS[i % PHOTOS.length]} was rejected (${item.outcome}); bench:flow times accepted items only — pick other photos with RVM_BENCH_PHOTOS`);
    if (!result) throw new Error('the item reached the screen without a detection result');
    if (i < 2) continue; // warm-up: first renders, first worker runs
    const label = `${PHOTOS[i % PHOTOS.length]} accepted as ${item.material}`;
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
    flow.push(shownAt - insertedAt);
    detection.push(result.totalMs);
    inference.push(result.inferenceMs);
    overhead.push(shownAt - insertedAt - result.totalMs);
    coreShare.push(counted[i]! - insertedAt - result.totalMs);
    beforeDetection.push(result.seenAt - result.totalMs - insertedAt);
    afterDetection.push(counted[i]! - result.seenAt);
    screenShare.push(shownAt - counted[i]!);
  }
  const clockAfter = await clockOffset(page);

  const figures = {
    flowMs: stats(flow),
    detectionMs: stats(detection),
    inferenceMs: stats(inference),
    overheadMs: stats(overhead),
    overheadCoreMs: stats(coreShare),
    overheadScreenMs: stats(screenShare),
    beforeDetectionMs: stats(beforeDetection),
    afterDetectionMs: stats(afterDetection),
    clockOffsetErrorMs: round(Math.max(clockBefore.errorMs, clockAfter.errorMs)),
    clockDriftMs: round(clockAfter.offsetMs - clockBefore.offsetMs),
  };
  const ratios = { flowToDetectionP50: Math.round((figures.flowMs.p50 / figures.detectionMs.p50) * 100) / 100, overheadToTargetP95: Math.round((figures.overheadMs.p95 / TARGET_OVERHEAD_P95_MS) * 100) / 100 };
  // The one absolute target (issue 11): the kiosk's own share, which no floor in this run measures.
  const targets = { 'overheadMs.p95': { max: TARGET_OVERHEAD_P95_MS } };
  const met = figures.overheadMs.p95 <= TARGET_OVERHEAD_P95_MS;

  console.log(`flow bench: ${ITEMS} items (after 2 warm-up) in Chromium through the browser host, photos ${PHOTOS.join(' / ')}, instant simulator, settle 0 ms`);
  console.log(`outcomes: ${[...outcomes].map(([k, n]) => `${n}× ${k}`).join(', ')}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
  const rows: Array<[string, { p50: number; p95: number; max: number }]> = [
    ['item present → result on screen (flow)', figures.flowMs],
    ['detection alone (photo, pre, inference, post)', figures.detectionMs],
    ['  of which inference', figures.inferenceMs],
    ['kiosk overhead = flow − detection', figures.overheadMs],
    ['  core: insert → item published, − detection', figures.overheadCoreMs],
    ['    before detection (item present, weight)', figures.beforeDetectionMs],
    ['    after detection (journal, sort, drop)', figures.afterDetectionMs],
    ['  screen: session.state → DOM in Chromium', figures.overheadScreenMs],
  ];
  console.log(`${''.padEnd(50)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  for (const [k, s] of rows) console.log(`${k.padEnd(50)} ${`${s.p50}`.padStart(8)} ${`${s.p95}`.padStart(8)} ${`${s.max}`.padStart(8)}  ms`);
  console.log(`flow / detection (p50): ${ratios.flowToDetectionP50}; overhead p95 target ≤ ${TARGET_OVERHEAD_P95_MS} ms: ${met ? 'met' : 'NOT MET'}`);
  console.log(`clock offset Chromium ↔ Node known to ±${figures.clockOffsetErrorMs} ms, drift over the run ${figures.clockDriftMs} ms`);
  writeResult({
    name: 'flow',
    params: { items: ITEMS, warmup: 2, photos: PHOTOS, simulatorTimings: 'instant', detectionSettleMs: 0, outcomes: Object.fromEntries(outcomes) },
    includes: 'flow: simulated item present → result in the DOM of the kiosk page in Chromium (serial link, deposit pipeline, custody journal, session update, WebSocket, React render; before paint). detection: the classifier alone (photo + preprocess + inference + postprocess). overhead = flow − detection, per item, split into the core (insert → item published in session.state, minus detection) and the screen (session.state → DOM).',
    figures,
    ratios,
    targets,
    met,
  });
} finally {
  await browser.close();
  await host.close();
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
