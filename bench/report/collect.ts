/** Reads every bench-output/*.json for the report, and writes report.json and report.md beside them. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReport, type FoundFile, type Report } from './build-report.js';
import { CATALOG } from './catalog.js';
import { renderMarkdown } from './render-markdown.js';
import { benchOutputDir } from './write-result.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function readResults(dir: string): FoundFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const file = path.join(dir, f);
      return { name: f.slice(0, -'.json'.length), text: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs };
    });
}

export function writeReport(runStartedAt: number, refreshed: ReadonlySet<string>): { report: Report; markdown: string; files: string[] } {
  const dir = benchOutputDir();
  const report = buildReport(readResults(dir), CATALOG, { now: Date.now(), runStartedAt, refreshed, staleAfterMs: DAY_MS });
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const context = `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load} at the end. Ratios compare figures taken in the same run; targets judge only ratios (and counts).`;
  const markdown = renderMarkdown(report, context);
  const files = [path.join(dir, 'report.json'), path.join(dir, 'report.md')];
  writeFileSync(files[0]!, `${JSON.stringify({ ...report, context }, null, 2)}\n`);
  writeFileSync(files[1]!, markdown);
  return { report, markdown, files };
}
