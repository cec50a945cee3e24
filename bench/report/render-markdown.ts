/** The report's rows as one Markdown table (bench-output/report.md, and pasted into docs/performance.md). */
import type { Report, ReportRow } from './build-report.js';

const STATUS: Record<ReportRow['status'], string> = { met: '✅ met', 'not met': '❌ not met', missing: '— missing', invalid: '⚠ invalid', stale: '⏳ stale' };

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (v: number | string) => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : v);

function targetsCell(row: ReportRow): string {
  if (row.targets.length === 0) return Object.entries(row.ratios).map(([k, v]) => `${k} ${num(v)}`).join('<br>') || '–';
  const checked = new Set(row.targets.map((t) => t.key));
  const lines = row.targets.map((t) => `${t.key} **${t.value === null ? '?' : num(t.value)}** (${t.bound}${t.kept === null ? '' : t.kept ? ' ✓' : ' ✗'})`);
  // Ratios without a target are still worth reading (flow/detection, RSS to idle…).
  for (const [k, v] of Object.entries(row.ratios)) if (!checked.has(k)) lines.push(`${k} ${num(v)}`);
  return lines.join('<br>');
}

export function renderMarkdown(report: Report, context: string): string {
  const head = ['| benchmark | compares | figures | ratios against targets | status |', '|---|---|---|---|---|'];
  const rows = report.rows.map((r) => {
    const figures = Object.entries(r.figures).map(([k, v]) => `${k} ${num(v)}`).join('<br>') || '–';
    const status = [STATUS[r.status], r.note, r.at ? `(${r.at.slice(0, 16).replace('T', ' ')} UTC)` : null].filter(Boolean).join(' ');
    return `| ${cell(r.name)} | ${cell(r.what)} | ${cell(figures)} | ${cell(targetsCell(r))} | ${cell(status)} |`;
  });
  const s = report.summary;
  const summary = `${s.met} met, ${s['not met']} not met, ${s.stale} stale, ${s.missing} missing, ${s.invalid} invalid.`;
  const ignored = report.ignored.length === 0 ? [] : [`Not benchmark results, left out: ${report.ignored.map((i) => `${i.name}.json (${i.reason})`).join('; ')}.`, ''];
  return [`# Benchmark report, ${report.at.slice(0, 16).replace('T', ' ')} UTC`, '', context, '', ...head, ...rows, '', summary, '', ...ignored].join('\n');
}
