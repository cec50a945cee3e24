/**
 * Routes the core's structured log lines (src/log/logger.ts, already redacted) into electron-log, which writes
 * ~/.config/<productName>/logs/main.log and rotates it at 5 MB (one previous file kept as main.old.log).
 */
import electronLog from 'electron-log/main';
import { setLogSink, type LogLevel } from '../../src/log/logger.js';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function setupLogging(): void {
  electronLog.transports.file.level = 'info';
  electronLog.transports.file.maxSize = MAX_LOG_BYTES;
  // A kiosk must never show an error dialog to a customer; uncaught errors are logged instead.
  electronLog.errorHandler.startCatching({ showDialog: false });
  const scopes = new Map<string, ReturnType<typeof electronLog.scope>>();
  setLogSink((level: LogLevel, scope, message, fields) => {
    let scoped = scopes.get(scope);
    if (!scoped) scopes.set(scope, (scoped = electronLog.scope(scope)));
    if (fields) scoped[level](message, fields);
    else scoped[level](message);
  });
}
