/**
 * The benchmark report from fixture results: a row per catalogued benchmark (missing ones too), targets checked
 * against ratios or figures, stale and invalid files named instead of failing, and the Markdown table.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, flatten, type FoundFile } from '../../bench/report/build-report.js';
import type { BenchSpec } from '../../bench/report/catalog.js';
import { renderMarkdown } from '../../bench/report/render-markdown.js';

const HOUR = 3_600_000;
const now = Date.parse('2026-11-29T12:00:00Z');
const runStartedAt = now - HOUR;
const catalog: BenchSpec[] = [
  { name: 'serial', what: 'serial round trip vs bare echo', script: 'npm run bench:serial', quick: true, figures: ['pingMs.p99'] },
  { name: 'memory', what: 'core RSS', script: 'npm run bench:memory', quick: true },
  { name: 'throughput', what: 'items per minute', script: 'npm run bench:throughput', quick: true },
  { name: 'monitoring', what: 'history writes', script: 'npm run bench:monitoring', quick: true },
  { name: 'fleet', what: 'fleet recovery', script: 'npm run fleet', long: true },
  { name: 'soak', what: 'soak', script: 'npm run soak', long: true },
];

const result = (name: string, atMs: number, body: object) => ({ name, text: JSON.stringify({ name, at: new Date(atMs).toISOString(), ...body }), mtimeMs: atMs });

const files: FoundFile[] = [
  result('serial', now - 10 * 60_000, { figures: { echoMs: { p99: 0.4 }, pingMs: { p99: 0.5, p50: 0.3 } }, ratios: { pingToEchoP99: 1.25 }, targets: { pingToEchoP99: 1.5 }, met: true }),
  result('memory', now - 5 * 60_000, { figures: { rssIdleMiB: 200, rssAt500MiB: 380, rssAt1000MiB: 610 }, ratios: { rssGrowthAfterWarmup: 1.61 }, targets: { rssGrowthAfterWarmup: { max: 1.1 } }, met: false }),
  // A figure (not a ratio) judged against a lower bound.
  result('throughput', now - 2 * HOUR, { figures: { itemsPerMinute: 64 }, ratios: {}, targets: { itemsPerMinute: { min: 60 } }, met: true }),
  result('fleet', now - 3 * 24 * HOUR, { figures: { peakToMean: 1.7 }, ratios: { peakToMean: 1.7 }, targets: { peakToMean: 2 }, met: true }),
  { name: 'monitoring', text: JSON.stringify({ bench: 'monitoring', results: {} }), mtimeMs: now },
  { name: 'broken', text: '{"name": "broken", ', mtimeMs: now },
  { name: 'fleet-trace', text: JSON.stringify([{ t: 0, requests: 3 }]), mtimeMs: now },
  result('soak-quick', now - 60_000, { figures: { lost: 0 }, ratios: {}, targets: { lost: { max: 0 } }, met: true }),
  { name: 'report', text: '{}', mtimeMs: now },
];

const report = buildReport(files, catalog, { now, runStartedAt, refreshed: new Set(['serial', 'memory', 'throughput']), staleAfterMs: 24 * HOUR });
const row = (name: string) => report.rows.find((r) => r.name === name)!;

describe('buildReport', () => {
  it('lists the catalog in order, then other result files by name, never the report itself', () => {
    expect(report.rows.map((r) => r.name)).toEqual(['serial', 'memory', 'throughput', 'monitoring', 'fleet', 'soak', 'soak-quick']);
    expect(row('soak-quick')).toMatchObject({ status: 'met', what: '(not in the catalog)' });
  });

  it('leaves out other JSON files that are not results, saying why', () => {
    expect(report.ignored).toEqual([
      { name: 'broken', reason: expect.stringContaining('not JSON') },
      { name: 'fleet-trace', reason: 'lacks figures, ratios, targets, met' },
    ]);
  });

  it("takes each benchmark's own verdict and checks every target against its ratio or figure", () => {
    expect(row('serial')).toMatchObject({ status: 'met', figures: { 'pingMs.p99': 0.5 }, targets: [{ key: 'pingToEchoP99', value: 1.25, bound: '≤ 1.5', kept: true }] });
    expect(row('memory')).toMatchObject({ status: 'not met', targets: [{ key: 'rssGrowthAfterWarmup', value: 1.61, bound: '≤ 1.1', kept: false }] });
  });

  it('marks a benchmark this run meant to refresh but did not as stale, and one from days ago too', () => {
    expect(row('throughput')).toMatchObject({ status: 'stale', note: expect.stringContaining('did not refresh'), targets: [{ key: 'itemsPerMinute', value: 64, bound: '≥ 60', kept: true }] });
    expect(row('fleet')).toMatchObject({ status: 'stale', note: expect.stringContaining('72 h old') });
  });

  it('says what is missing and what is unreadable instead of failing', () => {
    expect(row('soak')).toMatchObject({ status: 'missing', note: expect.stringContaining('npm run soak') });
    expect(row('monitoring')).toMatchObject({ status: 'invalid', note: 'lacks figures, ratios, targets, met' });
    expect(report.summary).toEqual({ met: 2, 'not met': 1, stale: 2, missing: 1, invalid: 1 });
  });

  it('shows the first few figures when the catalog names none', () => {
    expect(Object.keys(row('memory').figures)).toEqual(['rssIdleMiB', 'rssAt500MiB', 'rssAt1000MiB']);
  });
});

describe('flatten', () => {
  it('turns nested figures into dotted paths and keeps only readable leaves', () => {
    expect(flatten({ a: 1, b: { c: 2, d: { e: 'x' } }, f: null, g: true })).toEqual([['a', 1], ['b.c', 2], ['b.d.e', 'x'], ['g', 'true']]);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report, 'context line');
  const lines = md.split('\n');

  it('writes one table row per benchmark with its verdict, figures and targets', () => {
    expect(lines.filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark'))).toHaveLength(report.rows.length);
    expect(md).toContain('| memory | core RSS | rssIdleMiB 200<br>rssAt500MiB 380<br>rssAt1000MiB 610 | rssGrowthAfterWarmup **1.61** (≤ 1.1 ✗) | ❌ not met');
    expect(md).toContain('| soak | soak | – | – | — missing no bench-output/soak.json yet (npm run soak) |');
    expect(md).toContain('2 met, 1 not met, 2 stale, 1 missing, 1 invalid.');
    expect(md).toContain('Not benchmark results, left out: broken.json (not JSON');
  });
});
