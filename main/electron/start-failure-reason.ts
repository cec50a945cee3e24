/**
 * Why the core could not start, as a code the "cannot start" screen has words for (cannot-start-page.ts) and
 * the English detail a technician needs (the configuration key, the folder). The code is chosen from what
 * the error is, not from its text: a ConfigError from src/app/load-config.ts, or a Node errno.
 */
import { ConfigError } from '../../src/app/load-config.js';

export const startFailureCodes = ['config_invalid', 'data_dir_unwritable', 'disk_full', 'start_failed'] as const;
export type StartFailureCode = (typeof startFailureCodes)[number];

export interface StartFailure {
  code: StartFailureCode;
  /** One paragraph at most: the screen is not a log viewer. */
  detail: string;
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST']);
const MAX_DETAIL = 600;

export function describeStartFailure(err: unknown): StartFailure {
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL - 1)}…` : message;
  if (err instanceof ConfigError) return { code: 'config_invalid', detail };
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (errno === 'ENOSPC') return { code: 'disk_full', detail };
  if (errno && NOT_WRITABLE.has(errno)) return { code: 'data_dir_unwritable', detail };
  return { code: 'start_failed', detail };
}
