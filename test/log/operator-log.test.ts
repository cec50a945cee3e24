/**
 * The operator log's writer on a real temporary folder: lines that parse, in order; rotation by size that keeps
 * `files` files; and a disk that fails (a folder that cannot exist, a full disk, a failing fsync) never throws
 * into the caller, costs one developer-log line per report period, and is written to again once it recovers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onLog, type LogLevel } from '../../src/log/logger.js';
import { OPERATOR_LOG_FILE, OperatorLog } from '../../src/log/operator-log.js';
import { FaultyDisk } from '../helpers/faulty-fs.js';

let dir: string;
let warnings: string[];
let offLog: () => void;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rvm-oplog-'));
  warnings = [];
  offLog = onLog((level: LogLevel, scope, message) => {
    if (scope === 'operator-log' && level === 'warn') warnings.push(message);
  });
});
afterEach(() => {
  offLog();
  rmSync(dir, { recursive: true, force: true });
});

const read = (file = OPERATOR_LOG_FILE) => readFileSync(path.join(dir, file), 'utf8');
const parsed = (file = OPERATOR_LOG_FILE) =>
  read(file)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('OperatorLog', () => {
  it('writes one JSON object per line, stamped with the time, in the order written', async () => {
    const oplog = new OperatorLog({ dir: path.join(dir, 'logs'), maxBytes: 1 << 20, files: 5, now: () => Date.UTC(2025, 0, 2, 3, 4, 5) });
    oplog.write({ event: 'session.start', sessionId: 's1' });
    oplog.write({ event: 'item', sessionId: 's1', itemId: 'i1', outcome: 'low_confidence', returned: true });
    oplog.write({ event: 'session.end', sessionId: 's1', ended: 'finished' });
    await oplog.close();
    dir = path.join(dir, 'logs');
    expect(read().endsWith('\n')).toBe(true);
    expect(parsed()).toEqual([
      { t: '2025-01-02T03:04:05.000Z', event: 'session.start', sessionId: 's1' },
      { t: '2025-01-02T03:04:05.000Z', event: 'item', sessionId: 's1', itemId: 'i1', outcome: 'low_confidence', returned: true },
      { t: '2025-01-02T03:04:05.000Z', event: 'session.end', sessionId: 's1', ended: 'finished' },
    ]);
  });

  it('appends to the file a previous run left, and counts its size towards rotation', async () => {
    writeFileSync(path.join(dir, OPERATOR_LOG_FILE), `${JSON.stringify({ event: 'old' })}\n`.padStart(190, ' '));
    const oplog = new OperatorLog({ dir, maxBytes: 200, files: 2 });
    oplog.write({ event: 'new' });
    await oplog.close();
    expect(parsed(`${OPERATOR_LOG_FILE}.1`).map((r) => r.event)).toEqual(['old']);
    expect(parsed().map((r) => r.event)).toEqual(['new']);
  });

  it('rotates before a file would pass maxBytes and keeps only `files` files, the newest lines in the current one', async () => {
    const oplog = new OperatorLog({ dir, maxBytes: 200, files: 3 });
    for (let n = 0; n < 40; n += 1) oplog.write({ event: 'item', n });
    await oplog.close();
    expect(readdirSync(dir).sort()).toEqual([OPERATOR_LOG_FILE, `${OPERATOR_LOG_FILE}.1`, `${OPERATOR_LOG_FILE}.2`]);
    for (const file of readdirSync(dir)) expect(statSync(path.join(dir, file)).size).toBeLessThanOrEqual(200);
    // Oldest first across the files: an unbroken run of the latest lines, ending with the last one written.
    const kept = [...parsed(`${OPERATOR_LOG_FILE}.2`), ...parsed(`${OPERATOR_LOG_FILE}.1`), ...parsed()].map((r) => r.n as number);
    expect(kept.at(-1)).toBe(39);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 40 - kept.length + k));
    expect(kept.length).toBeLessThan(40);
  });

  it('with one file, starts it over when it is full', async () => {
    const oplog = new OperatorLog({ dir, maxBytes: 200, files: 1 });
    for (let n = 0; n < 10; n += 1) oplog.write({ event: 'item', n });
    await oplog.close();
    expect(readdirSync(dir)).toEqual([OPERATOR_LOG_FILE]);
    expect(parsed().at(-1)).toMatchObject({ n: 9 });
    expect(parsed().length).toBeLessThan(10);
  });

  it('does not throw when its folder cannot be created, and says so once per report period', async () => {
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    let now = 0;
    const oplog = new OperatorLog({ dir: path.join(dir, 'not-a-folder', 'logs'), maxBytes: 1 << 20, files: 5, now: () => now, reportEveryMs: 60_000 });
    for (let n = 0; n < 5; n += 1) {
      expect(() => oplog.write({ event: 'item', n })).not.toThrow();
      await oplog.flushed();
    }
    expect(warnings).toEqual(['operator log: cannot write; lines dropped']);
    now = 60_000;
    oplog.write({ event: 'item', n: 5 });
    await expect(oplog.close()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(2);
  });

  it('survives a full disk: nothing thrown, the cut line is ended, and lines written after the disk recovers parse', async () => {
    const disk = new FaultyDisk();
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 5, fs: disk.fs });
    oplog.write({ event: 'before' });
    await oplog.flushed();
    disk.free = 20; // the next line fits only in part
    expect(() => oplog.write({ event: 'item', itemId: 'cut-in-half' })).not.toThrow();
    oplog.write({ event: 'item', itemId: 'dropped' });
    await oplog.flushed();
    expect(disk.enospc.length).toBeGreaterThan(0);
    expect(warnings).toEqual(['operator log: cannot write; lines dropped']);
    disk.clear();
    oplog.write({ event: 'after' });
    await oplog.close();
    const lines = read().split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'before' });
    expect(() => JSON.parse(lines[1]!)).toThrow(); // the 20 bytes that fitted
    expect(JSON.parse(lines[2]!)).toMatchObject({ event: 'after' });
  });

  it('close() resolves even when the final fsync fails, and ignores writes after it', async () => {
    const disk = new FaultyDisk();
    disk.failNext('sync', (file) => file.endsWith(OPERATOR_LOG_FILE), 'EIO');
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 5, fs: disk.fs });
    oplog.write({ event: 'last' });
    await expect(oplog.close()).resolves.toBeUndefined();
    oplog.write({ event: 'too late' });
    await oplog.flushed();
    expect(parsed().map((r) => r.event)).toEqual(['last']);
  });

  it('drops, and counts, lines beyond maxPending rather than growing without bound', async () => {
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 5, maxPending: 3 });
    for (let n = 0; n < 10; n += 1) oplog.write({ event: 'item', n });
    await oplog.close();
    expect(parsed().map((r) => r.n)).toEqual([0, 1, 2]);
    expect(warnings).toEqual(['operator log: cannot write; lines dropped']);
  });

  it('drops a record JSON cannot encode without throwing, and keeps writing', async () => {
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 5 });
    expect(() => oplog.write({ event: 'bad', big: 1n })).not.toThrow();
    oplog.write({ event: 'good' });
    await oplog.close();
    expect(parsed().map((r) => r.event)).toEqual(['good']);
  });
});

describe('OperatorLog retention by age', () => {
  const DAY = 86_400_000;
  const start = Date.UTC(2026, 0, 1);
  const line = (t: number, event: string) => `${JSON.stringify({ t: new Date(t).toISOString(), event })}\n`;

  it('removes lines older than maxAgeMs: a rotated file all old goes, a file that starts old is cut, undated lines stay', async () => {
    writeFileSync(path.join(dir, `${OPERATOR_LOG_FILE}.2`), line(start - 40 * DAY, 'ancient'));
    writeFileSync(path.join(dir, `${OPERATOR_LOG_FILE}.1`), line(start - 35 * DAY, 'old') + line(start - 5 * DAY, 'recent'));
    writeFileSync(path.join(dir, OPERATOR_LOG_FILE), line(start - 31 * DAY, 'old-current') + '{"cut short\n' + line(start - DAY, 'yesterday'));
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 3, maxAgeMs: 30 * DAY, now: () => start });
    oplog.write({ event: 'today' });
    await oplog.close();
    expect(readdirSync(dir).sort()).toEqual([OPERATOR_LOG_FILE, `${OPERATOR_LOG_FILE}.1`]);
    expect(parsed(`${OPERATOR_LOG_FILE}.1`).map((r) => r.event)).toEqual(['recent']);
    expect(read()).toBe(`{"cut short\n${line(start - DAY, 'yesterday')}${line(start, 'today')}`);
  });

  it('checks again only after pruneEveryMs, so a quiet kiosk\'s one file ages out too', async () => {
    let now = start;
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 2, maxAgeMs: 2 * DAY, pruneEveryMs: DAY, now: () => now });
    oplog.write({ event: 'day0' });
    await oplog.flushed();
    now = start + DAY + 1;
    oplog.write({ event: 'day1' });
    await oplog.flushed();
    now = start + 2 * DAY + 10; // day0 is now older than two days, and a day has passed since the last check
    oplog.write({ event: 'day2' });
    await oplog.flushed();
    expect(parsed().map((r) => r.event)).toEqual(['day1', 'day2']);
    now = start + 3 * DAY + 5; // day1 has aged out, but the last check was less than a day ago: kept until the next
    oplog.write({ event: 'day3' });
    await oplog.close();
    expect(parsed().map((r) => r.event)).toEqual(['day1', 'day2', 'day3']);
    expect(statSync(path.join(dir, OPERATOR_LOG_FILE)).size).toBe(read().length);
  });

  it('keeps every line when maxAgeMs is 0', async () => {
    writeFileSync(path.join(dir, OPERATOR_LOG_FILE), line(start - 400 * DAY, 'very old'));
    const oplog = new OperatorLog({ dir, maxBytes: 1 << 20, files: 2, maxAgeMs: 0, now: () => start });
    oplog.write({ event: 'today' });
    await oplog.close();
    expect(parsed().map((r) => r.event)).toEqual(['very old', 'today']);
  });
});
