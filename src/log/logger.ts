/**
 * A tiny structured logger. The core never imports electron-log directly: the Electron shell can plug it in
 * through setLogSink, and under Node the lines go to stderr as JSON. Secrets are masked by key name so an
 * API key can never reach a log even when someone logs a whole config object.
 */
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

export function setLogSink(next: LogSink): void {
  sink = next;
}
export function setLogLevel(level: LogLevel): void {
  minLevel = level;
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

export function createLogger(scope: string): Logger {
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    const safe = fields ? (redact(fields) as Record<string, unknown>) : undefined;
    for (const listener of listeners) listener(level, scope, message, safe);
    if (levelRank[level] >= levelRank[minLevel]) sink(level, scope, message, safe);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
