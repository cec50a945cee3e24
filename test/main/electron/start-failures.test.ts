/**
 * The count of consecutive failed starts (a small file in the user data folder) and the retry delay it gives:
 * quick tries first, then one every few minutes; a count that cannot be saved is treated as a long loop.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearStartFailures, DEFAULT_START_RETRY, recordStartFailure, retryDelayMs, START_FAILURES_FILE } from '../../../main/electron/start-failures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rvm-start-failures-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('start failure count', () => {
  it('counts consecutive failures across processes in a file, and a successful start clears it', () => {
    expect(recordStartFailure(dir, 'config_invalid')).toEqual({ consecutive: 1, persisted: true });
    expect(recordStartFailure(dir, 'config_invalid')).toEqual({ consecutive: 2, persisted: true });
    const stored = JSON.parse(readFileSync(path.join(dir, START_FAILURES_FILE), 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ consecutive: 2, lastCode: 'config_invalid' });
    clearStartFailures(dir);
    expect(recordStartFailure(dir, 'disk_full').consecutive).toBe(1);
  });

  it('starts counting again from a damaged file instead of failing', () => {
    writeFileSync(path.join(dir, START_FAILURES_FILE), '{"consecutive": "many"');
    expect(recordStartFailure(dir, 'start_failed')).toEqual({ consecutive: 1, persisted: true });
  });

  it('says when the count could not be saved (the folder is a file), without throwing', () => {
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, '');
    expect(recordStartFailure(path.join(notAFolder, 'userData'), 'data_dir_unwritable')).toEqual({ consecutive: 1, persisted: false });
    expect(() => clearStartFailures(path.join(notAFolder, 'userData'))).not.toThrow();
  });
});

describe('retry delay', () => {
  const { quickTries, quickDelayMs, slowDelayMs } = DEFAULT_START_RETRY;

  it('retries quickly for the first few failures, then every few minutes', () => {
    expect(quickDelayMs).toBeLessThan(slowDelayMs);
    expect(slowDelayMs).toBeGreaterThanOrEqual(60_000); // far from systemd's 3-second spin
    for (let n = 1; n <= quickTries; n += 1) expect(retryDelayMs({ consecutive: n, persisted: true })).toBe(quickDelayMs);
    expect(retryDelayMs({ consecutive: quickTries + 1, persisted: true })).toBe(slowDelayMs);
    expect(retryDelayMs({ consecutive: 50, persisted: true })).toBe(slowDelayMs);
  });

  it('treats an unsaved count as a long loop: every start would otherwise look like the first', () => {
    expect(retryDelayMs({ consecutive: 1, persisted: false })).toBe(slowDelayMs);
  });
});
