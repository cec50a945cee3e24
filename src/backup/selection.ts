/**
 * What a backup holds, as a list of top-level entries of the data folder, and what it never holds. An allow
 * list rather than "everything but": a file a later feature adds (a key, a cache, a model) stays out until
 * someone decides it belongs in a backup. docs/backup.md lists the same.
 */
import path from 'node:path';

/** Durable state worth carrying to a new SD card. Missing entries are skipped (a feature not in use). */
export const INCLUDED = [
  'outbox', // credit journal (segments, status journal, images) and its quarantine
  'custody', // item custody journal
  'monitoring', // sensor history, alerts, daily tally
  'monitoring-webhook-deliveries.json',
  'maintenance', // technician audit log (secrets filtered below)
  'claims', // donated claim codes
  'clock', // clock and timezone-sync state (timezone-sync.json)
  'detection/threshold.json', // the technician's confidence threshold (a setting; models are downloaded again)
] as const;

/**
 * Never in an archive, wherever they sit: the machine's credentials and anything keyed to them or to this
 * device (the PIN lockout and its key, the cached offline PIN), the outbox's disk-reserve ballast and probes,
 * temporary files. A restored machine starts with a fresh lockout and asks the server for PINs again.
 */
const NEVER = new Set(['rvm-credentials.json', 'pin-lockout.json', 'pin-lockout.key', 'offline-pin.json', 'reserve.bin', 'write-probe.tmp', '.pin-lockout-written']);

export function isExcluded(relative: string): boolean {
  const name = path.basename(relative);
  return NEVER.has(name) || name.endsWith('.tmp') || name.endsWith('.key') || /credential/i.test(name);
}

/** Keys whose values are secrets in the settings copy; they are removed, not masked. */
const SECRET_KEY = /credential|api[-_]?key|token|secret|password|pass$/i;

/** The configuration as it would be saved in `settings/config.json`: secrets removed at any depth. */
export function redactSettings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSettings);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!SECRET_KEY.test(key)) out[key] = redactSettings(v);
  return out;
}
