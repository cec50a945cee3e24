/**
 * A tiny structured logger. The core never imports electron-log directly: the Electron shell can plug it in
 * through setLogSink, and under Node the lines go to stderr as JSON. Secrets are masked by key name so an
 * API key can never reach a log even when someone logs a whole config object.
 *
 * Floods are rate-limited here, so every caller benefits (src/log/repeat-limiter.ts). Lines are "the same"
 * when level, scope and message are equal — the fields may differ (a rejected message's text, a frame's
 * hex). Per such key, a window opens at the first line (10 s by default): the first 5 lines are written at
 * once, later ones in the window are only counted, and when the window ends one summary line goes to the
 * sink — same level and scope, the message with "(repeated 19,995 more times within 10 s)" appended, and the
 * FIRST occurrence's (redacted) fields plus `repeated` and `windowMs`. A distinct message is never held back
 * and the first line of a key is never delayed. Summaries still pending at process exit are written then.
 * Tune or disable with setLogRepeatLimit (burst: Infinity turns it off).
 *
 * The limit applies to what is written (the sink), after the level filter. onLog listeners are in-process
 * observers and see every line, unlimited and unfiltered by level (they do their own filtering); a
 * listener that keeps lines must bound its own buffer.
 */
import { RepeatLimiter } from './repeat-limiter.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, scope: string, message: string, fields?: Record<string, unknown>) => void;

const SECRET_KEYS = /api[_-]?key|secret|password|pin|token|authorization/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEYS.test(key) && v !== null && v !== undefined ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let minLevel: LogLevel = (process.env.RVM_LOG_LEVEL as LogLevel | undefined) ?? (process.env.VITEST ? 'error' : 'info');

const stderrSink: LogSink = (level, scope, message, fields) => {
  const line = { t: new Date().toISOString(), level, scope, message, ...(fields ? (redact(fields) as object) : {}) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
};

let sink: LogSink = stderrSink;
const listeners = new Set<LogSink>();

/** Where written lines go; returns the previous sink (so a test can put it back). */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}
/** The lowest level written to the sink; returns the previous one. */
export function setLogLevel(level: LogLevel): LogLevel {
  const previous = minLevel;
  minLevel = level;
  return previous;
}
/** Observe every line (the maintenance screen's log view and tests use this); returns the unsubscribe. */
export function onLog(listener: LogSink): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// --- Repeat limit -------------------------------------------------------------------------------------------

export interface LogRepeatLimit {
  /** Identical lines written in full per window (default 5). */
  burst: number;
  /** Window length from the first of them (default 10 s). */
  windowMs: number;
}

export const DEFAULT_LOG_REPEAT_LIMIT: Readonly<LogRepeatLimit> = { burst: 5, windowMs: 10_000 };

interface FirstLine {
  level: LogLevel;
  scope: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

const count = new Intl.NumberFormat('en-US');

function writeSummary(first: FirstLine, repeated: number, windowMs: number): void {
  const within = windowMs % 1000 === 0 ? `${windowMs / 1000} s` : `${windowMs} ms`;
  const message = `${first.message} (repeated ${count.format(repeated)} more ${repeated === 1 ? 'time' : 'times'} within ${within})`;
  sink(first.level, first.scope, message, { ...first.fields, repeated, windowMs });
}

let repeats = new RepeatLimiter<FirstLine>({ ...DEFAULT_LOG_REPEAT_LIMIT }, writeSummary);
let exitHooked = false;

/** Change the repeat limit (pending summaries are written first). `burst: Infinity` writes every line. */
export function setLogRepeatLimit(limit: LogRepeatLimit): void {
  repeats.flush();
  repeats = new RepeatLimiter<FirstLine>({ ...limit }, writeSummary);
}

/** Write every pending "repeated N times" summary now and start all windows afresh. */
export function flushRepeatedLogs(): void {
  repeats.flush();
}

function write(level: LogLevel, scope: string, message: string, fields: Record<string, unknown> | undefined): void {
  if (repeats.admit(`${level}\u0000${scope}\u0000${message}`, { level, scope, message, fields })) {
    sink(level, scope, message, fields);
    return;
  }
  if (!exitHooked) {
    // Lines counted when the process ends still get their summary (stderr writes are synchronous at exit).
    exitHooked = true;
    process.once('exit', flushRepeatedLogs);
  }
}

export function createLogger(scope: string): Logger {
  const at = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    const safe = fields ? (redact(fields) as Record<string, unknown>) : undefined;
    for (const listener of listeners) listener(level, scope, message, safe);
    if (levelRank[level] >= levelRank[minLevel]) write(level, scope, message, safe);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
