/**
 * The sensor history: append-only segment files under one folder, mirrored in memory for queries.
 *
 *   raw-<start>.jnl   one line per moment: {"at":…,"r":{"bin.glass":42,…}}; the only file appended to,
 *                     fsynced per batch; closed at each UTC midnight and past `segmentMaxBytes`
 *   5m-<start>.jnl    the same segment averaged into 5-minute buckets once its last reading is older than
 *                     `rawMs`: {"at":bucket,"w":300000,"r":{"bin.glass":[avg,min,max,count],…}}
 *   1h-<start>.jnl    … and into hourly buckets once older than `fiveMinuteMs`
 *
 * A segment older than `retentionMs` is deleted, and while the folder is over `maxBytes` the oldest segment
 * goes first. An averaged segment is written whole to a temporary file, fsynced and renamed over its final
 * name before its source is deleted, so a crash leaves one or the other (both: the source is deleted at
 * the next open). A kill -9 loses nothing whose append had resolved: only a torn tail, never acknowledged.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reading } from '../domain/events.js';
import { createLogger } from '../log/logger.js';
import { fsyncDir, removeIfPresent, replaceFileAtomic } from '../storage/durable-fs.js';
import { AppendFile, encodeLine, parseLines } from './journal.js';
import { emptySeries, lowerBound, pointAt, pushPoint, rollupSeries, type HistoryPoint, type Series } from './rollup.js';

const log = createLogger('monitoring.history');
const SEGMENT = /^(raw|5m|1h)-(\d+)\.jnl$/;
const WIDTH = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
const DAY = 24 * 60 * 60_000;

export type Tier = 'raw' | '5m' | '1h';

export interface HistoryOptions {
  rawMs: number;
  fiveMinuteMs: number;
  retentionMs: number;
  maxBytes: number;
  segmentMaxBytes: number;
  now?: () => number;
}

type RawLine = { at: number; r: Record<string, number> };
type RollupLine = { at: number; w: number; r: Record<string, [number, number, number, number]> };

interface Segment {
  tier: Tier;
  start: number;
  file: string;
  bytes: number;
  firstAt: number;
  lastAt: number;
  series: Map<string, Series>;
}

export interface HistoryRow extends HistoryPoint {
  sensor: string;
  tier: Tier;
}

export interface HistoryStats {
  segments: number;
  bytes: number;
  points: number;
  oldestAt: number | null;
  newestAt: number | null;
}

export class HistoryStore {
  private readonly segments: Segment[] = [];
  private active: { segment: Segment; journal: AppendFile } | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;

  private constructor(
    readonly dir: string,
    private readonly options: HistoryOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  static async open(dir: string, options: HistoryOptions): Promise<HistoryStore> {
    const store = new HistoryStore(dir, options);
    await store.load();
    return store;
  }

  /** Durable on resolve (fsynced). Readings sharing a moment share a line; all lines share one fsync. */
  append(readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return Promise.resolve();
    return this.serial(async () => {
      if (this.closed) throw new Error('the history is closed');
      const lines = new Map<number, RawLine>();
      for (const { sensor, value, at } of readings) {
        if (!Number.isFinite(value) || !Number.isFinite(at)) continue;
        let line = lines.get(at);
        if (!line) lines.set(at, (line = { at, r: {} }));
        line.r[sensor] = value;
      }
      const { segment, journal } = await this.activeSegment();
      const before = journal.size;
      await journal.append([...lines.values()]);
      segment.bytes += journal.size - before;
      for (const line of lines.values()) {
        for (const [sensor, value] of Object.entries(line.r)) addPoint(segment, sensor, { at: line.at, value, min: value, max: value, count: 1 });
      }
    });
  }

  /** Points of one sensor in [from, to), oldest first, from whichever tier holds each part of the range. */
  query(sensor: string, from: number, to: number): HistoryPoint[] {
    const out: HistoryPoint[] = [];
    for (const segment of this.segments) {
      if (segment.lastAt < from || segment.firstAt >= to) continue;
      const series = segment.series.get(sensor);
      if (!series) continue;
      for (let i = lowerBound(series.at, from); i < series.at.length && series.at[i]! < to; i += 1) out.push(pointAt(series, i));
    }
    return isSorted(out) ? out : out.sort((a, b) => a.at - b.at);
  }

  /**
   * Every point in [from, to) (of one sensor, or all) in time order, then sensor order, for the export: a
   * merge of the per-sensor series (each already in time order), so a month costs no sort and no copy.
   */
  *rows(from: number, to: number, sensor?: string): Generator<HistoryRow> {
    for (const segment of [...this.segments]) {
      if (segment.lastAt < from || segment.firstAt >= to) continue;
      const cursors = [...segment.series]
        .filter(([name]) => sensor === undefined || name === sensor)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, series]) => ({ name, series, i: lowerBound(series.at, from) }));
      for (;;) {
        let next: (typeof cursors)[number] | null = null;
        let nextAt = to;
        for (const c of cursors) {
          const at = c.series.at[c.i];
          if (at !== undefined && at < nextAt) {
            next = c;
            nextAt = at;
          }
        }
        if (!next) break;
        const p = pointAt(next.series, next.i);
        next.i += 1;
        yield { at: p.at, value: p.value, min: p.min, max: p.max, count: p.count, sensor: next.name, tier: segment.tier };
      }
    }
  }

  sensors(): string[] {
    const names = new Set<string>();
    for (const segment of this.segments) for (const name of segment.series.keys()) names.add(name);
    return [...names].sort();
  }

  stats(): HistoryStats {
    let bytes = 0;
    let points = 0;
    let oldestAt: number | null = null;
    let newestAt: number | null = null;
    for (const s of this.segments) {
      bytes += s.bytes;
      for (const series of s.series.values()) points += series.at.length;
      if (Number.isFinite(s.firstAt)) oldestAt = Math.min(oldestAt ?? s.firstAt, s.firstAt);
      if (Number.isFinite(s.lastAt)) newestAt = Math.max(newestAt ?? s.lastAt, s.lastAt);
    }
    return { segments: this.segments.length, bytes, points, oldestAt, newestAt };
  }

  /** Age the history: average old raw and 5-minute segments, delete expired ones, keep within `maxBytes`. */
  maintain(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      const now = this.now();
      const { rawMs, fiveMinuteMs, retentionMs, maxBytes } = this.options;
      for (const segment of [...this.segments]) {
        if (segment === this.active?.segment) continue;
        if (segment.lastAt < now - retentionMs) await this.drop(segment, 'expired');
        else if (segment.tier === 'raw' && segment.lastAt < now - rawMs) await this.average(segment, '5m');
        else if (segment.tier === '5m' && segment.lastAt < now - fiveMinuteMs) await this.average(segment, '1h');
      }
      let total = this.segments.reduce((sum, s) => sum + s.bytes, 0);
      for (const segment of [...this.segments]) {
        if (total <= maxBytes) break;
        if (segment === this.active?.segment) continue;
        total -= segment.bytes;
        await this.drop(segment, 'over the size limit');
      }
    });
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      this.closed = true;
      await this.active?.journal.close();
      this.active = null;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async activeSegment(): Promise<{ segment: Segment; journal: AppendFile }> {
    const now = this.now();
    const current = this.active;
    if (current && Math.floor(current.segment.start / DAY) === Math.floor(now / DAY) && current.segment.bytes < this.options.segmentMaxBytes) return current;
    if (current) await current.journal.close();
    let start = now;
    while (this.segments.some((s) => s.start === start)) start += 1; // one name per segment, even if the clock went back
    const segment = newSegment('raw', start, path.join(this.dir, `raw-${start}.jnl`));
    const { journal } = await AppendFile.open(segment.file);
    this.insert(segment);
    this.active = { segment, journal };
    return this.active;
  }

  private async average(source: Segment, tier: '5m' | '1h'): Promise<void> {
    const target = newSegment(tier, source.start, path.join(this.dir, `${tier}-${source.start}.jnl`));
    for (const [sensor, series] of source.series) target.series.set(sensor, rollupSeries(series, WIDTH[tier]));
    const byMoment = new Map<number, RollupLine>();
    for (const [sensor, series] of target.series) {
      for (let i = 0; i < series.at.length; i += 1) {
        const p = pointAt(series, i);
        let line = byMoment.get(p.at);
        if (!line) byMoment.set(p.at, (line = { at: p.at, w: WIDTH[tier], r: {} }));
        line.r[sensor] = [p.value, p.min, p.max, p.count];
        target.firstAt = Math.min(target.firstAt, p.at);
        target.lastAt = Math.max(target.lastAt, p.at);
      }
    }
    const text = [...byMoment.values()].sort((a, b) => a.at - b.at).map(encodeLine).join('');
    await replaceFileAtomic(target.file, text);
    target.bytes = Buffer.byteLength(text);
    await removeIfPresent(source.file);
    await fsyncDir(this.dir);
    this.segments.splice(this.segments.indexOf(source), 1, target);
  }

  private async drop(segment: Segment, why: string): Promise<void> {
    await removeIfPresent(segment.file);
    await fsyncDir(this.dir);
    this.segments.splice(this.segments.indexOf(segment), 1);
    log.info('history segment deleted', { file: path.basename(segment.file), why });
  }

  private insert(segment: Segment): void {
    this.segments.push(segment);
    this.segments.sort((a, b) => a.start - b.start);
  }

  private async load(): Promise<void> {
    const names = await readdir(this.dir);
    const found = new Map<number, Tier[]>();
    for (const name of names) {
      if (name.endsWith('.tmp')) await removeIfPresent(path.join(this.dir, name));
      const m = SEGMENT.exec(name);
      if (m) found.set(Number(m[2]), [...(found.get(Number(m[2])) ?? []), m[1] as Tier]);
    }
    const now = this.now();
    const starts = [...found.keys()].sort((a, b) => a - b);
    const latestRaw = starts.filter((s) => found.get(s)!.includes('raw')).at(-1);
    for (const start of starts) {
      const tiers = found.get(start)!;
      // An averaged copy exists only once it was complete (renamed into place): the finer source is surplus.
      const keep: Tier = tiers.includes('1h') ? '1h' : tiers.includes('5m') ? '5m' : 'raw';
      for (const tier of tiers) if (tier !== keep) await removeIfPresent(path.join(this.dir, `${tier}-${start}.jnl`));
      const segment = newSegment(keep, start, path.join(this.dir, `${keep}-${start}.jnl`));
      const reopen = keep === 'raw' && start === latestRaw && Math.floor(start / DAY) === Math.floor(now / DAY);
      let data: Buffer | null = null;
      if (reopen) {
        const { journal, parsed } = await AppendFile.open<RawLine>(segment.file);
        this.active = { segment, journal };
        segment.bytes = journal.size;
        for (const line of parsed.entries) foldLine(segment, line);
      } else {
        data = await readFile(segment.file);
        segment.bytes = data.length;
        const parsed = parseLines<RawLine | RollupLine>(data);
        for (const line of parsed.entries) foldLine(segment, line);
        if (parsed.corrupt > 0) log.warn('history segment has damaged lines (skipped)', { file: path.basename(segment.file), lines: parsed.corrupt });
      }
      this.segments.push(segment);
    }
    if (found.size > 0) await fsyncDir(this.dir);
  }
}

function newSegment(tier: Tier, start: number, file: string): Segment {
  return { tier, start, file, bytes: 0, firstAt: Number.POSITIVE_INFINITY, lastAt: Number.NEGATIVE_INFINITY, series: new Map() };
}

function addPoint(segment: Segment, sensor: string, p: HistoryPoint): void {
  let series = segment.series.get(sensor);
  if (!series) segment.series.set(sensor, (series = emptySeries(segment.tier !== 'raw')));
  const last = series.at.at(-1);
  if (last !== undefined && p.at < last) {
    // A reading from before the last one (the clock went back): keep the series ordered.
    const i = lowerBound(series.at, p.at + 1);
    series.at.splice(i, 0, p.at);
    series.v.splice(i, 0, p.value);
    series.lo?.splice(i, 0, p.min);
    series.hi?.splice(i, 0, p.max);
    series.n?.splice(i, 0, p.count);
  } else pushPoint(series, p);
  segment.firstAt = Math.min(segment.firstAt, p.at);
  segment.lastAt = Math.max(segment.lastAt, p.at);
}

function foldLine(segment: Segment, line: RawLine | RollupLine): void {
  if (typeof line !== 'object' || line === null || typeof line.at !== 'number' || typeof line.r !== 'object') return;
  for (const [sensor, value] of Object.entries(line.r)) {
    if (typeof value === 'number') addPoint(segment, sensor, { at: line.at, value, min: value, max: value, count: 1 });
    else if (Array.isArray(value) && value.length === 4) addPoint(segment, sensor, { at: line.at, value: value[0], min: value[1], max: value[2], count: value[3] });
  }
}

function isSorted(points: readonly HistoryPoint[]): boolean {
  for (let i = 1; i < points.length; i += 1) if (points[i]!.at < points[i - 1]!.at) return false;
  return true;
}
