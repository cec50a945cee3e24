/**
 * Counts consecutive failed starts in a small file in the user data folder, and says how long the "cannot
 * start" screen stays up before the next try. A failed start used to exit at once, and systemd
 * (Restart=always, RestartSec=3) started it again every 3 s, forever, on a black screen. Now the screen stays
 * up for the delay and the process then exits to be started afresh (main/electron/cannot-start.ts): a few
 * quick tries first (a USB drive or network share still mounting), then one every few minutes, which is
 * cheap, leaves the log readable, and still picks up a repaired configuration without anyone restarting it.
 *
 * No Electron here: plain files, so it is tested without the fake.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const START_FAILURES_FILE = 'start-failures.json';

export interface StartRetryPolicy {
  /** Consecutive failures retried after `quickDelayMs`; from then on every `slowDelayMs`. */
  quickTries: number;
  quickDelayMs: number;
  slowDelayMs: number;
}

export const DEFAULT_START_RETRY: StartRetryPolicy = { quickTries: 3, quickDelayMs: 15_000, slowDelayMs: 5 * 60_000 };

export interface StartFailureCount {
  /** This failure included. */
  consecutive: number;
  /** False when the count could not be saved (the folder is the problem): every start would look like the first. */
  persisted: boolean;
}

interface Stored {
  consecutive: number;
  lastCode: string;
  lastAt: string;
}

/** Record one more failed start (with its code) and return the count so far. Never throws. */
export function recordStartFailure(dir: string, code: string, now: Date = new Date()): StartFailureCount {
  const file = path.join(dir, START_FAILURES_FILE);
  const consecutive = readCount(file) + 1;
  const stored: Stored = { consecutive, lastCode: code, lastAt: now.toISOString() };
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored)}\n`);
    return { consecutive, persisted: true };
  } catch {
    return { consecutive, persisted: false };
  }
}

/** A start succeeded: the next failure is the first again. */
export function clearStartFailures(dir: string): void {
  try {
    rmSync(path.join(dir, START_FAILURES_FILE), { force: true });
  } catch {
    // A count that cannot be removed only makes the next failure's first retry slower.
  }
}

/** How long the "cannot start" screen stays before the next try. An unsaved count is treated as a long loop. */
export function retryDelayMs(count: StartFailureCount, policy: StartRetryPolicy = DEFAULT_START_RETRY): number {
  if (!count.persisted || count.consecutive > policy.quickTries) return policy.slowDelayMs;
  return policy.quickDelayMs;
}

function readCount(file: string): number {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    return Number.isInteger(stored.consecutive) && stored.consecutive! > 0 ? stored.consecutive! : 0;
  } catch {
    return 0; // none yet, or unreadable: start counting again
  }
}
