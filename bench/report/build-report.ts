/**
 * bench-output/*.json → the report's rows: one per benchmark of the catalog (missing ones too, so a gap shows
 * in the table instead of vanishing), then one per other result file found. Other JSON files there that are
 * not results (a trace, a fuzzer's corpus summary) are listed as ignored, not as rows. Pure: the caller reads
 * the folder (bench/report/collect.ts) and says which benchmarks this run was meant to refresh.
 *
 * A row's status:  met / not met (the benchmark's own verdict) · missing (no file) · invalid (unreadable, or
 * not the shape of bench/report/write-result.ts) · stale (older than this run for a benchmark this run
 * meant to refresh — it failed — or older than `staleAfterMs` for one read from an earlier run).
 */
import { withinBound, type Bound, type Figures } from './write-result.js';
import type { BenchSpec } from './catalog.js';

export interface FoundFile {
  /** The benchmark's name: the file name without `.json`. */
  name: string;
  text: string;
  mtimeMs: number;
}

export type RowStatus = 'met' | 'not met' | 'missing' | 'invalid' | 'stale';

export interface TargetCheck {
  key: string;
  value: number | null;
  bound: string;
  kept: boolean | null;
}

export interface ReportRow {
  name: string;
  what: string;
  script: string | null;
  status: RowStatus;
  /** Why a row is stale, invalid or missing. */
  note: string | null;
  at: string | null;
  figures: Record<string, number | string>;
  ratios: Record<string, number>;
  targets: TargetCheck[];
}

export interface ReportOptions {
  now: number;
  /** When this run started: results older than that, of benchmarks in `refreshed`, are stale. */
  runStartedAt: number;
  refreshed: ReadonlySet<string>;
  staleAfterMs: number;
}

export interface Report {
  at: string;
  rows: ReportRow[];
  /** Files that are not in the catalog and not in the result shape, with the reason. */
  ignored: Array<{ name: string; reason: string }>;
  summary: Record<RowStatus, number>;
}

const FIGURES_SHOWN = 4;
const IGNORED = new Set(['report']);

/** Leaves of a nested figures object, as dotted paths. */
export function flatten(figures: Figures, prefix = ''): Array<[string, number | string]> {
  const out: Array<[string, number | string]> = [];
  for (const [key, value] of Object.entries(figures)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') out.push(...flatten(value as Figures, path));
    else if (typeof value === 'number' || typeof value === 'string') out.push([path, value]);
    else if (typeof value === 'boolean') out.push([path, String(value)]);
  }
  return out;
}

export function describeBound(bound: Bound): string {
  if (typeof bound === 'number') return `≤ ${bound}`;
  return 'max' in bound ? `≤ ${bound.max}` : `≥ ${bound.min}`;
}

function isBound(b: unknown): b is Bound {
  if (typeof b === 'number') return Number.isFinite(b);
  if (b === null || typeof b !== 'object') return false;
  const o = b as Record<string, unknown>;
  return typeof o.max === 'number' || typeof o.min === 'number';
}

interface Parsed {
  at: string;
  figures: Figures;
  ratios: Record<string, number>;
  targets: Record<string, unknown>;
  met: boolean;
}

function parse(text: string): Parsed | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `not JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  if (json === null || typeof json !== 'object') return 'not an object';
  const o = json as Record<string, unknown>;
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const lacking = ['figures', 'ratios', 'targets'].filter((k) => !isObject(o[k]));
  if (typeof o.met !== 'boolean') lacking.push('met');
  if (lacking.length > 0) return `lacks ${lacking.join(', ')}`;
  const ratios = Object.fromEntries(Object.entries(o.ratios as object).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  return { at: typeof o.at === 'string' ? o.at : '', figures: o.figures as Figures, ratios, targets: o.targets as Record<string, unknown>, met: o.met as boolean };
}

function checkTargets(p: Parsed): TargetCheck[] {
  const leaves = new Map(flatten(p.figures));
  return Object.entries(p.targets).map(([key, bound]) => {
    if (!isBound(bound)) return { key, value: null, bound: JSON.stringify(bound), kept: null };
    const found = p.ratios[key] ?? leaves.get(key);
    const value = typeof found === 'number' ? found : null;
    return { key, value, bound: describeBound(bound), kept: value === null ? null : withinBound(value, bound) };
  });
}

function pickFigures(p: Parsed, wanted: string[] | undefined): Record<string, number | string> {
  const leaves = flatten(p.figures);
  const chosen = wanted ? leaves.filter(([k]) => wanted.includes(k)) : [];
  return Object.fromEntries(chosen.length > 0 ? chosen : leaves.slice(0, FIGURES_SHOWN));
}

function rowFor(spec: BenchSpec, file: FoundFile | undefined, opts: ReportOptions): ReportRow {
  const base = { name: spec.name, what: spec.what, script: spec.script || null, at: null, figures: {}, ratios: {}, targets: [] };
  if (!file) return { ...base, status: 'missing', note: `no bench-output/${spec.name}.json yet (${spec.script})` };
  const parsed = parse(file.text);
  if (typeof parsed === 'string') return { ...base, status: 'invalid', note: parsed };
  const atMs = Date.parse(parsed.at) || file.mtimeMs;
  const row = { ...base, at: new Date(atMs).toISOString(), figures: pickFigures(parsed, spec.figures), ratios: parsed.ratios, targets: checkTargets(parsed) };
  if (opts.refreshed.has(spec.name) && atMs < opts.runStartedAt) return { ...row, status: 'stale', note: 'this run did not refresh it (the benchmark failed); figures are from an earlier run' };
  if (opts.now - atMs > opts.staleAfterMs) return { ...row, status: 'stale', note: `from an earlier run, ${Math.round((opts.now - atMs) / 3_600_000)} h old` };
  return { ...row, status: parsed.met ? 'met' : 'not met', note: null };
}

export function buildReport(files: readonly FoundFile[], catalog: readonly BenchSpec[], opts: ReportOptions): Report {
  const byName = new Map(files.map((f) => [f.name, f]));
  const known = new Set(catalog.map((s) => s.name));
  const others = files.filter((f) => !known.has(f.name) && !IGNORED.has(f.name)).sort((a, b) => a.name.localeCompare(b.name));
  const ignored: Report['ignored'] = [];
  const extra: BenchSpec[] = [];
  for (const f of others) {
    const parsed = parse(f.text);
    if (typeof parsed === 'string') ignored.push({ name: f.name, reason: parsed });
    else extra.push({ name: f.name, what: '(not in the catalog)', script: '' });
  }
  const rows = [...catalog, ...extra].map((spec) => rowFor(spec, byName.get(spec.name), opts));
  const summary: Record<RowStatus, number> = { met: 0, 'not met': 0, missing: 0, invalid: 0, stale: 0 };
  for (const r of rows) summary[r.status] += 1;
  return { at: new Date(opts.now).toISOString(), rows, ignored, summary };
}
