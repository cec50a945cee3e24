import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditLog } from '../../src/maintenance/audit-log.js';
import { makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir('rvm-audit-')));
afterEach(() => cleanup());

const action = (n: number) => ({ technicianName: 'Budi', assignmentId: 7, action: 'tare', detail: { n }, result: 'ok' as const });

it('keeps entries across a restart, newest first, with the reported mark', async () => {
  const file = path.join(dir, 'audit.jsonl');
  let clock = 1_000;
  const log = await AuditLog.open({ file, now: () => clock++ });
  const first = await log.record(action(1));
  await log.record(action(2));
  await log.markReported(first.id);
  await log.close();

  const again = await AuditLog.open({ file });
  expect(again.list().map((e) => [e.detail['n'], e.reported])).toEqual([[2, false], [1, true]]);
  expect(again.list({ from: 1_001 }).map((e) => e.detail['n'])).toEqual([2]);
  expect(again.list({ to: 1_001, limit: 5 }).map((e) => e.detail['n'])).toEqual([1]);
  await again.close();
});

it('drops a torn last line and appends cleanly after it', async () => {
  const file = path.join(dir, 'audit.jsonl');
  const log = await AuditLog.open({ file });
  await log.record(action(1));
  await log.close();
  await appendFile(file, '{"id":"torn","at":5,"act');

  const again = await AuditLog.open({ file });
  expect(again.list()).toHaveLength(1);
  await again.record(action(2));
  await again.close();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { detail: { n: number } }).detail.n)).toEqual([1, 2]);
});

it('stays bounded: past the limit only the newest entries are kept, on disk too', async () => {
  const file = path.join(dir, 'audit.jsonl');
  const log = await AuditLog.open({ file, maxEntries: 10 });
  for (let n = 1; n <= 70; n++) await log.record(action(n));
  expect(log.list({ limit: 500 }).length).toBeLessThanOrEqual(60);
  await log.close();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(60);
  const again = await AuditLog.open({ file, maxEntries: 10 });
  const kept = again.list({ limit: 500 }).map((e) => e.detail['n']);
  expect(kept[0]).toBe(70);
  expect(kept).not.toContain(1);
  await again.close();
});
