/**
 * Finding 13, through the real core: a UI sending 20,000 unknown commands made 20,000 "rejected a message
 * from the UI" lines. The logger's repeat limit bounds that to a handful plus one counted summary, while
 * every one of the 20,000 still gets its error reply.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { setLogLevel, setLogSink, type LogLevel } from '../../src/log/logger.js';

let written: Array<{ level: LogLevel; scope: string; message: string; fields?: Record<string, unknown> }>;
let restore: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  written = [];
  const previousSink = setLogSink((level, scope, message, fields) => written.push({ level, scope, message, ...(fields ? { fields } : {}) }));
  const previousLevel = setLogLevel('info');
  restore = () => {
    if (previousSink) setLogSink(previousSink);
    setLogLevel(previousLevel ?? 'error');
  };
});
afterEach(() => {
  vi.advanceTimersByTime(60_000);
  vi.useRealTimers();
  restore();
});

describe('a UI flooding the core with unknown commands', () => {
  it('answers all 20,000 and writes a bounded number of log lines, the count in the last one', async () => {
    const core = new KioskCore();
    const total = 20_000;
    const replies = await Promise.all(
      Array.from({ length: total }, (_, n) => core.dispatch({ type: 'command', id: n, name: 'no.such.command', payload: {} })),
    );
    expect(replies.every((r) => !r.ok && r.error.code === 'unknown_command')).toBe(true);

    vi.advanceTimersByTime(10_000); // the window ends: the summary is written
    const fromCore = written.filter((l) => l.scope === written[0]?.scope);
    expect(written.length).toBeLessThanOrEqual(10);
    const summary = fromCore.at(-1)!;
    expect(summary.level).toBe('warn');
    expect(summary.message).toMatch(/repeated [\d,]+ more times within 10 s/);
    expect(Number(summary.fields?.repeated) + fromCore.length - 1).toBe(total);
    // The summary carries the first rejection's fields.
    expect(summary.fields).toMatchObject({ code: 'unknown_command', message: expect.stringContaining('no.such.command') });
    await core.dispose();
  });
});
