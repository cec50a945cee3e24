/**
 * The one shape every benchmark writes to `bench-output/<name>.json`, and the one place that writes it, so
 * the report (bench/report/build-report.ts) can read them all alike:
 *
 *   { name, at, host, params?, includes?, figures, ratios, targets, met }
 *
 * `figures` are what was measured (absolute, to read); `ratios` compare a figure with its floor measured in
 * the same run (what the targets judge, since our machines are shared and noisy); `targets` name a ratio or
 * figure (a dotted path into `figures` works too) and its bound: a plain number or `{ max }` is an upper
 * bound, `{ min }` a lower one. `met` is the benchmark's own verdict on all its targets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Bound = number | { max: number } | { min: number };
/** Numbers (or short strings) to read, nested as deep as helps: `{ pingMs: { p50, p99 } }`. Any object type fits. */
export type Figures = object;

export interface BenchResultInput {
  name: string;
  figures: Figures;
  ratios: Record<string, number>;
  targets: Record<string, Bound>;
  met: boolean;
  params?: Record<string, unknown>;
  /** One sentence: what the figures include and leave out. */
  includes?: string;
}

export interface BenchResult extends BenchResultInput {
  at: string;
  host: { node: string; platform: string; arch: string; cpus: number; loadAverage: number[] };
}

export const benchOutputDir = (): string => process.env.RVM_BENCH_OUTPUT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench-output');

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Rounds to two decimals: ratios are judged at that precision, and the JSON stays readable. */
export const ratio = (value: number, floor: number): number => round2(value / floor);

/** Whether `value` keeps `bound`. */
export function withinBound(value: number, bound: Bound): boolean {
  if (typeof bound === 'number') return value <= bound;
  return 'max' in bound ? value <= bound.max : value >= bound.min;
}

export function writeResult(input: BenchResultInput): string {
  const result: BenchResult = {
    name: input.name,
    at: new Date().toISOString(),
    host: { node: process.version, platform: process.platform, arch: process.arch, cpus: os.cpus().length, loadAverage: os.loadavg().map(round2) },
    ...(input.params ? { params: input.params } : {}),
    ...(input.includes ? { includes: input.includes } : {}),
    figures: input.figures,
    ratios: input.ratios,
    targets: input.targets,
    met: input.met,
  };
  const dir = benchOutputDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${input.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${input.name}: targets ${input.met ? 'met' : 'NOT MET'}; wrote ${file}`);
  return file;
}
