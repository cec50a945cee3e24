/** The doctor's report for people (a table, each failure followed by its fix) or for machines (`--json`). */
import type { CheckResult, DoctorReport } from '../../src/app/doctor/types.js';

const LABEL: Record<CheckResult['status'], string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export function formatDoctorTable(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.title.length), 'CHECK'.length);
  const pad = ' '.repeat(4 + 2 + width + 2);
  const lines = [`RVM kiosk doctor — ${report.at} (${(report.durationMs / 1000).toFixed(1)} s)`, '', `${'    '}  ${'CHECK'.padEnd(width)}  RESULT`];
  for (const check of report.checks) {
    lines.push(`${LABEL[check.status].padEnd(4)}  ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.fix && check.status !== 'ok') lines.push(`${pad}→ fix: ${check.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  if (failed === 0) lines.push(warned ? `All checks passed, ${warned} warning${warned === 1 ? '' : 's'}.` : 'All checks passed.');
  else lines.push(`${failed} check${failed === 1 ? '' : 's'} failed${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}: see "→ fix" above.`);
  return lines.join('\n');
}

export function formatDoctorJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}
