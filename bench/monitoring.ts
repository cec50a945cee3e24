/**
 * Monitoring's costs on this machine's disk, printed and written to bench-output/monitoring.json:
 *   - readings written per second, durable (fsync per append), one reading per append and a sample of
 *     `--sensors` readings per append, against the floor: each write paired with a bare append + fsync of the
 *     same sample's line, so the ratio (write rate ÷ floor rate, in appends) compares like with like;
 *   - a simulated month (`--days`, accelerated clock: one sample of every sensor per simulated minute, the
 *     history aged every simulated hour) through the whole Monitoring (rules, change filter, history), then
 *     the query time for 7 days of one sensor, the CSV export time for the whole month, the history's size,
 *     and the process RSS;
 *   - with node-sqlite3-wasm resolvable (`--sqlite-from DIR` where it is installed; it is not a dependency),
 *     the same sample written as one SQLite transaction, for the store choice in docs/monitoring.md.
 *   npm run bench:monitoring [-- --count 200 --rounds 5 --days 30 --sensors 30 --dir /path/on/the/target/disk]
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Reading } from '../src/domain/events.js';
import { setLogLevel } from '../src/log/logger.js';
import { monitoringConfig } from '../src/monitoring/config.js';
import { historyCsvAsync } from '../src/monitoring/csv.js';
import { HistoryStore } from '../src/monitoring/history-store.js';
import { encodeLine } from '../src/monitoring/journal.js';
import { Monitoring } from '../src/monitoring/monitoring.js';
import { SENSOR_IDS } from '../src/monitoring/sensors.js';
import { writeResult } from './report/write-result.js';

const MIN_SAMPLE_RATIO = 0.5;

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const count = Number(arg('count', '200'));
const rounds = Number(arg('rounds', '5'));
const days = Number(arg('days', '30'));
const sensorCount = Number(arg('sensors', String(SENSOR_IDS.length)));
setLogLevel('warn');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const base = await mkdtemp(path.join(arg('dir', tmpdir()), 'rvm-bench-monitoring-'));
let run = 0;
const fresh = () => path.join(base, `run-${run++}`);
const sensors = Array.from({ length: sensorCount }, (_, i) => SENSOR_IDS[i % SENSOR_IDS.length]! + (i < SENSOR_IDS.length ? '' : `_${i}`));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);

/** A plausible sample at minute `m`: bins filling and emptied daily, temperature on a daily wave, flags flipping now and then. */
function sample(m: number, at: number): Reading[] {
  return sensors.map((sensor, i) => {
    const wave = Math.sin((2 * Math.PI * (m % 1440)) / 1440 + i);
    const value = sensor.startsWith('bin.') ? ((m * (i + 1)) % 1440) / 14.4 : sensor.includes('_open') || sensor.includes('_ok') ? (m % 97 === 0 ? 0 : 1) : 30 + 10 * wave + (m % 7);
    return { sensor, value: Math.round(value * 10) / 10, at };
  });
}

/**
 * `count` writes of one kind, each followed by one bare append + fsync of the same sample's line to a file on
 * the same disk (the floor): on a shared, noisy disk only a ratio measured write by write means something.
 */
async function paired(write: (n: number) => Promise<void> | void): Promise<{ floorMs: number; writeMs: number; maxWriteMs: number }> {
  const handle = await open(path.join(base, `floor-${run++}.log`), 'a');
  const line = Buffer.from(encodeLine({ at: Date.now(), r: Object.fromEntries(sample(1, 0).map((r) => [r.sensor, r.value])) }));
  let floorMs = 0;
  let writeMs = 0;
  let maxWriteMs = 0;
  for (let n = 0; n < count; n += 1) {
    const t0 = performance.now();
    await handle.write(line, 0, line.length);
    await handle.sync();
    const t1 = performance.now();
    await write(n);
    const t2 = performance.now();
    floorMs += t1 - t0;
    writeMs += t2 - t1;
    maxWriteMs = Math.max(maxWriteMs, t2 - t1);
  }
  await handle.close();
  return { floorMs, writeMs, maxWriteMs };
}

async function historyWrites(perAppend: number): Promise<{ floorMs: number; writeMs: number }> {
  const dir = fresh();
  mkdirSync(dir, { recursive: true });
  const store = await HistoryStore.open(dir, { ...monitoringConfig.parse({}).history });
  const result = await paired((n) => store.append(sample(n, Date.now()).slice(0, perAppend)));
  await store.close();
  return result;
}

type SqliteDb = { exec(sql: string): void; prepare(sql: string): { run(values: unknown[]): void; finalize(): void }; close(): void };

/** node-sqlite3-wasm, if it can be found: a sample per transaction (rollback journal, synchronous=FULL). */
function loadSqlite(): (new (file: string) => SqliteDb) | null {
  const from = arg('sqlite-from', '');
  try {
    const require = createRequire(from ? path.join(path.resolve(from), 'index.js') : fileURLToPath(import.meta.url));
    return (require('node-sqlite3-wasm') as { Database: new (file: string) => SqliteDb }).Database;
  } catch {
    return null;
  }
}

async function sqliteWrites(Database: new (file: string) => SqliteDb): Promise<{ floorMs: number; writeMs: number; maxWriteMs: number }> {
  const db = new Database(path.join(base, `sqlite-${run++}.db`));
  db.exec('PRAGMA synchronous=FULL; CREATE TABLE r (sensor TEXT NOT NULL, at INTEGER NOT NULL, value REAL NOT NULL); CREATE INDEX r_sensor_at ON r(sensor, at);');
  const insert = db.prepare('INSERT INTO r VALUES (?, ?, ?)');
  // Synchronous: the event loop waits for the whole commit, fsyncs included, so maxWriteMs is how long it is held.
  const result = await paired((n) => {
    db.exec('BEGIN');
    for (const r of sample(n, Date.now())) insert.run([r.sensor, r.at, r.value]);
    db.exec('COMMIT');
  });
  insert.finalize();
  db.close();
  return result;
}

async function simulatedMonth(): Promise<Record<string, number>> {
  gc();
  const rssBefore = process.memoryUsage().rss;
  const start = Date.UTC(2026, 0, 1);
  let clock = start;
  const monitoring = await Monitoring.open(fresh(), {
    settings: monitoringConfig.parse({}),
    rules: { binFullPercent: 90, binFullConfigured: false },
    now: () => clock,
  });
  const t = performance.now();
  for (let m = 0; m < days * 1440; m += 1) {
    clock = start + m * MIN;
    await monitoring.observe(sample(m, clock));
    if (m % 60 === 59) {
      await monitoring.tick();
      await monitoring.history.maintain();
    }
  }
  const simulateMs = performance.now() - t;
  const stats = monitoring.history.stats();
  gc();
  const rssAfter = process.memoryUsage().rss;
  const heapUsed = process.memoryUsage().heapUsed;

  const queryMs: number[] = [];
  let points = 0;
  for (let i = 0; i < 20; i += 1) {
    const q = performance.now();
    points = monitoring.history.query('bin.glass', clock - 7 * DAY, clock).length;
    queryMs.push(performance.now() - q);
  }
  const q500 = performance.now();
  monitoring.points('bin.glass', clock - 7 * DAY, clock, 500);
  const chartMs = performance.now() - q500;
  const c = performance.now();
  let blockedMs = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    blockedMs = Math.max(blockedMs, performance.now() - last);
    last = performance.now();
  }, 1);
  const csv = await historyCsvAsync(monitoring.history.rows(clock - days * DAY, clock + 1));
  clearInterval(probe);
  const csvMs = performance.now() - c;
  await monitoring.close();
  return {
    simulatedDays: days,
    simulateSeconds: Math.round(simulateMs / 100) / 10,
    historyBytes: stats.bytes,
    historySegments: stats.segments,
    historyPoints: stats.points,
    rssBeforeMiB: mib(rssBefore),
    rssAfterMiB: mib(rssAfter),
    heapUsedMiB: mib(heapUsed),
    query7dMs: round(median(queryMs)),
    query7dPoints: points,
    query7dTo500Ms: round(chartMs),
    csv30dMs: Math.round(csvMs),
    csv30dRows: csv.rows,
    csv30dMiB: mib(Buffer.byteLength(csv.csv)),
    csv30dLongestStallMs: Math.round(blockedMs),
  };
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (ms: number) => Math.round(ms * 100) / 100;

try {
  // The month first, so its RSS is not the SQLite comparison's WASM heap.
  const month = await simulatedMonth();
  const Database = loadSqlite();
  const ratios = { one: [] as number[], batch: [] as number[], sqlite: [] as number[] };
  const rates = { floor: [] as number[], one: [] as number[], batch: [] as number[], sqlite: [] as number[], sqliteBlock: [] as number[] };
  for (let r = 0; r < rounds; r += 1) {
    const one = await historyWrites(1);
    const batch = await historyWrites(sensors.length);
    rates.floor.push(perSecond(count, one.floorMs), perSecond(count, batch.floorMs));
    rates.one.push(perSecond(count, one.writeMs));
    rates.batch.push(perSecond(count * sensors.length, batch.writeMs));
    ratios.one.push(one.floorMs / one.writeMs);
    ratios.batch.push(batch.floorMs / batch.writeMs);
    if (Database) {
      const sql = await sqliteWrites(Database);
      rates.sqlite.push(perSecond(count * sensors.length, sql.writeMs));
      rates.sqliteBlock.push(sql.maxWriteMs);
      ratios.sqlite.push(sql.floorMs / sql.writeMs);
    }
  }
  const floorRate = median(rates.floor);

  const results: Record<string, { value: number; unit: string; ratioToFloor?: number }> = {
    floorAppendsPerSecond: { value: floorRate, unit: 'fsynced appends/s' },
    readingsPerSecondOnePerAppend: { value: median(rates.one), unit: 'readings/s', ratioToFloor: round(median(ratios.one)) },
    readingsPerSecondSamplePerAppend: { value: median(rates.batch), unit: 'readings/s', ratioToFloor: round(median(ratios.batch)) },
    ...(Database
      ? {
          sqliteWasmReadingsPerSecond: { value: median(rates.sqlite), unit: 'readings/s', ratioToFloor: round(median(ratios.sqlite)) },
          sqliteWasmMaxEventLoopBlockMs: { value: round(median(rates.sqliteBlock)), unit: 'ms' },
        }
      : {}),
    query7dOneSensorMs: { value: month.query7dMs!, unit: 'ms' },
    query7dOneSensorTo500PointsMs: { value: month.query7dTo500Ms!, unit: 'ms' },
    csvExport30dMs: { value: month.csv30dMs!, unit: 'ms' },
    csvExport30dLongestEventLoopStallMs: { value: month.csv30dLongestStallMs!, unit: 'ms' },
    rssAfterSimulatedMonthMiB: { value: month.rssAfterMiB!, unit: 'MiB' },
    rssGrowthOverSimulatedMonthMiB: { value: round(month.rssAfterMiB! - month.rssBeforeMiB!), unit: 'MiB' },
    historyOnDiskMiB: { value: mib(month.historyBytes!), unit: 'MiB' },
  };
  const figures = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.value]));
  const toFloor: Record<string, number> = Object.fromEntries(Object.entries(results).flatMap(([k, r]) => (r.ratioToFloor === undefined ? [] : [[`${k}ToFloor`, r.ratioToFloor]])));

  console.log(`monitoring bench: ${count} appends per run, each paired with a floor append; median of ${rounds} rounds; ${sensors.length} sensors, disk under ${base}`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(36)} ${String(r.value).padStart(10)} ${r.unit.padEnd(18)}${r.ratioToFloor === undefined ? '' : ` ratio to floor ${r.ratioToFloor.toFixed(2)}`}`);
  }
  if (!Database) console.log('(node-sqlite3-wasm not found: pass --sqlite-from DIR where it is installed to compare)');
  console.log(`simulated ${days} days in ${month.simulateSeconds} s: ${month.historyPoints} points in ${month.historySegments} segments; 7-day query ${month.query7dPoints} points; CSV ${month.csv30dRows} rows, ${month.csv30dMiB} MiB; RSS ${month.rssBeforeMiB} → ${month.rssAfterMiB} MiB (heap ${month.heapUsedMiB} MiB)`);
  const sampleRatio = toFloor.readingsPerSecondSamplePerAppendToFloor ?? 0;
  writeResult({
    name: 'monitoring',
    params: { count, rounds, days, sensors: sensors.length, disk: base },
    includes: 'durable history appends (fsync each) paired with a bare append + fsync of the same line; a simulated month through the whole Monitoring; ratio = floor time ÷ write time (1 = at the floor)',
    figures: { ...figures, month },
    ratios: toFloor,
    // What the sampler does (a whole sample per append) should stay near the floor: at least half its rate.
    targets: { readingsPerSecondSamplePerAppendToFloor: { min: MIN_SAMPLE_RATIO } },
    met: sampleRatio >= MIN_SAMPLE_RATIO,
  });
} finally {
  await rm(base, { recursive: true, force: true });
}
