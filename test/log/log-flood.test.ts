/**
 * Log flood: identical lines (same level, scope and message) are rate-limited in the logger itself, with a
 * count; distinct lines are never held back, the first line is never delayed, secrets stay redacted, and
 * onLog listeners still see every line. Time is the logic, so fake timers.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, onLog, setLogLevel, setLogSink, type LogLevel } from '../../src/log/logger.js';
import { RepeatLimiter } from '../../src/log/repeat-limiter.js';

interface Line {
  level: LogLevel;
  scope: string;
  message: string;
  fields?: Record<string, unknown>;
}

let written: Line[];
let restoreSink: (() => void) | null = null;
let restoreLevel: (() => void) | null = null;
let scopeCount = 0;
/** A scope of its own per test, so no window is shared with another test. */
const freshScope = () => `flood-test-${process.pid}-${(scopeCount += 1)}`;

beforeEach(() => {
  vi.useFakeTimers();
  written = [];
  const previousSink = setLogSink((level, scope, message, fields) => written.push({ level, scope, message, ...(fields ? { fields } : {}) }));
  restoreSink = previousSink ? () => setLogSink(previousSink) : null;
  const previousLevel = setLogLevel('debug');
  restoreLevel = previousLevel ? () => setLogLevel(previousLevel) : () => setLogLevel('error');
});
afterEach(() => {
  vi.advanceTimersByTime(60_000); // close any window still open, into this test's sink
  vi.useRealTimers();
  restoreSink?.();
  restoreLevel?.();
});

describe('logger repeat limit', () => {
  it('writes 20,000 identical warnings as a handful of lines, ending with one summary that has the count', () => {
    const scope = freshScope();
    const log = createLogger(scope);
    for (let n = 0; n < 20_000; n += 1) log.warn('controller sent garbage', { n, port: '/dev/ttyUSB0' });
    const during = written.filter((l) => l.scope === scope);
    expect(during.length).toBeGreaterThanOrEqual(1);
    expect(during.length).toBeLessThanOrEqual(10);
    expect(during[0]).toEqual({ level: 'warn', scope, message: 'controller sent garbage', fields: { n: 0, port: '/dev/ttyUSB0' } });

    vi.advanceTimersByTime(10_000);
    const lines = written.filter((l) => l.scope === scope);
    expect(lines.length).toBe(during.length + 1);
    const summary = lines.at(-1)!;
    const repeated = 20_000 - during.length;
    expect(summary.level).toBe('warn');
    expect(summary.message).toBe(`controller sent garbage (repeated ${repeated.toLocaleString('en-US')} more times within 10 s)`);
    // The first occurrence's fields, plus the count.
    expect(summary.fields).toEqual({ n: 0, port: '/dev/ttyUSB0', repeated, windowMs: 10_000 });
    expect(during.length + repeated).toBe(20_000);
  });

  it('writes the first line at once, and starts afresh when the window has ended', () => {
    const scope = freshScope();
    const log = createLogger(scope);
    log.error('disk full');
    expect(written.map((l) => l.message)).toEqual(['disk full']); // no timer had to run
    for (let n = 0; n < 99; n += 1) log.error('disk full');
    vi.advanceTimersByTime(10_000);
    const before = written.length;
    expect(written.at(-1)?.message).toMatch(/^disk full \(repeated \d+ more times within 10 s\)$/);
    log.error('disk full');
    expect(written.length).toBe(before + 1);
    expect(written.at(-1)?.message).toBe('disk full');
  });

  it('counts a line as the same only when level, scope and message all match', () => {
    const a = createLogger(freshScope());
    const b = createLogger(freshScope());
    for (let n = 0; n < 1000; n += 1) {
      a.warn('same text');
      a.error('same text');
      b.warn('same text');
    }
    const keys = new Set(written.map((l) => `${l.level} ${l.scope}`));
    expect(keys.size).toBe(3);
    for (const key of keys) expect(written.filter((l) => `${l.level} ${l.scope}` === key).length).toBeLessThanOrEqual(10);
  });

  it('never holds back distinct messages', () => {
    const scope = freshScope();
    const log = createLogger(scope);
    for (let n = 0; n < 20_000; n += 1) log.info(`credit ${n} recorded`);
    const lines = written.filter((l) => l.scope === scope);
    expect(lines).toHaveLength(20_000);
    expect(lines.map((l) => l.message)).toEqual(Array.from({ length: 20_000 }, (_, n) => `credit ${n} recorded`));
    vi.advanceTimersByTime(10_000);
    expect(written.filter((l) => l.scope === scope)).toHaveLength(20_000); // and no summaries for them
  });

  it('still redacts secrets, in the lines and in the summary', () => {
    const scope = freshScope();
    const log = createLogger(scope);
    for (let n = 0; n < 50; n += 1) log.warn('server refused the key', { apiKey: `sk-live-${n}`, nested: { password: 'hunter2' }, status: 401 });
    vi.advanceTimersByTime(10_000);
    const lines = written.filter((l) => l.scope === scope);
    expect(lines.at(-1)?.fields).toMatchObject({ repeated: expect.any(Number) });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/sk-live|hunter2/);
    for (const line of lines) expect(line.fields).toMatchObject({ apiKey: '[redacted]', nested: { password: '[redacted]' }, status: 401 });
  });

  it('lets onLog listeners see every line, while the sink gets the limited stream', () => {
    const scope = freshScope();
    const log = createLogger(scope);
    const seen: string[] = [];
    const off = onLog((_level, s, message) => s === scope && seen.push(message));
    for (let n = 0; n < 500; n += 1) log.warn('rejected a message from the UI', { n });
    off();
    expect(seen).toHaveLength(500);
    expect(written.filter((l) => l.scope === scope).length).toBeLessThanOrEqual(10);
  });
});

describe('RepeatLimiter', () => {
  it('does not stay muted when its clock goes back (fake timers swapped for real ones)', () => {
    let now = 1_000_000;
    const summaries: Array<[string, number]> = [];
    const limiter = new RepeatLimiter<string>({ burst: 1, windowMs: 10_000, now: () => now }, (first, repeated) => summaries.push([first, repeated]));
    expect(limiter.admit('k', 'a')).toBe(true);
    expect(limiter.admit('k', 'b')).toBe(false);
    now -= 5_000; // the window's timer will never fire in this clock
    expect(limiter.admit('k', 'c')).toBe(true);
    expect(summaries).toEqual([['a', 1]]);
  });

  it('bounds the keys it tracks, summarising before it forgets', () => {
    let now = 0;
    const summaries: Array<[string, number]> = [];
    const limiter = new RepeatLimiter<string>({ burst: 1, windowMs: 10_000, maxKeys: 100, now: () => now }, (first, repeated) => summaries.push([first, repeated]));
    limiter.admit('hot', 'hot');
    limiter.admit('hot', 'hot');
    for (let n = 0; n < 10_000; n += 1) limiter.admit(`k${n}`, `k${n}`);
    expect(limiter.pending).toBeLessThanOrEqual(1);
    now += 10_000;
    limiter.flush();
    expect(summaries).toEqual([['hot', 1]]);
  });
});

// A real process with the default stderr sink: child-process I/O does not need the (faked) timers.
describe('logger repeat limit at process exit', () => {
  it.each(['exit', 'drain'])('writes the pending summary when the process ends (%s), to stderr, redacted', async (ending) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/flood-exit-child.ts', import.meta.url))], {
      env: { ...process.env, COUNT: '1000', EXIT: ending, RVM_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeLessThanOrEqual(10);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ level: 'warn', scope: 'flood-child', n: 0, token: '[redacted]', repeated: 1000 - (lines.length - 1) });
    expect(summary.message).toMatch(/^the same complaint \(repeated [\d,]+ more times within 10 s\)$/);
    expect(stderr).not.toContain('secret-token');
  });
});
