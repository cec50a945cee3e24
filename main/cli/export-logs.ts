/**
 * `rvm-kiosk export-logs DIR`: copies the log files the kiosk writes today into a new folder in DIR (a USB
 * drive, say) for a support request: electron-log's files (<userData>/logs, rotated main.old.log included),
 * any *.log / *.jsonl in the data folder and its logs/ folder (the operator log, <dataDir>/logs/operator.jsonl,
 * and its rotated operator.jsonl.N among them), the technician audit <dataDir>/maintenance/audit.jsonl, and the systemd journal of the kiosk's unit
 * when journalctl has one. Credentials and the outbox journal are never copied. Says so when there is nothing.
 */
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface ExportLogsOptions {
  dir: string;
  /** Folders holding *.log files (electron-log's logs folders, the data folder and its logs/). */
  logDirs: string[];
  /** The journal of the kiosk's unit, or null when there is none (injectable: tests have no journal). */
  journal?: () => string | null;
  /** A description of the configuration in effect, written beside the logs (never a secret). */
  summary?: string;
  now?: Date;
}

export interface ExportOutcome {
  code: 0 | 1;
  lines: string[];
  folder: string | null;
  files: string[];
}

const LOG_FILE = /\.(log|jsonl)(\.\d+)?$/;

export async function exportLogs(o: ExportLogsOptions): Promise<ExportOutcome> {
  const found: Array<{ from: string; name: string }> = [];
  for (const dir of [...new Set(o.logDirs.map((d) => path.resolve(d)))]) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const from = path.join(dir, entry);
      if (!LOG_FILE.test(entry) || !(await stat(from).then((s) => s.isFile(), () => false))) continue;
      // Two folders may both hold a main.log: keep both, named after their folder.
      const name = found.some((f) => f.name === entry) ? `${path.basename(path.dirname(dir))}-${path.basename(dir)}-${entry}`.replace(/\s+/g, '_') : entry;
      found.push({ from, name });
    }
  }
  const journal = o.journal?.() ?? null;
  if (found.length === 0 && !journal) {
    return { code: 1, folder: null, files: [], lines: [`No log files to export: none in ${o.logDirs.join(', ')}, and no systemd journal for rvm-kiosk.`] };
  }
  const stamp = (o.now ?? new Date()).toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const folder = path.join(path.resolve(o.dir), `rvm-kiosk-logs-${os.hostname()}-${stamp}`);
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (const { from, name } of found) {
    await copyFile(from, path.join(folder, name));
    files.push(name);
  }
  if (journal) {
    await writeFile(path.join(folder, 'journal.txt'), journal);
    files.push('journal.txt');
  }
  const about = [`exported ${new Date().toISOString()} on ${os.hostname()}`, o.summary ?? '', '', 'files:', ...found.map((f) => `  ${f.name} ← ${f.from}`), ...(journal ? ['  journal.txt ← journalctl --user -u rvm-kiosk'] : [])];
  await writeFile(path.join(folder, 'export.txt'), `${about.join('\n')}\n`);
  files.push('export.txt');
  return { code: 0, folder, files, lines: [`Exported ${files.length - 1} file(s) to ${folder}:`, ...files.map((f) => `  ${f}`)] };
}
