/**
 * The doctor's vocabulary: one row per thing an installer needs to be true, with what was found and, when
 * it is not fine, the fix in words (a command where there is one). The table and `--json` are printed by
 * main/cli; the checks live beside this file, one per concern.
 */
import type { KioskConfig } from '../config-schema.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { ConfigSource, ConfigSources } from '../load-config.js';

/** ok: fine. warn: works, but worth fixing (exit code stays 0). fail: the kiosk cannot work as configured. skip: not checked. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, in one line. */
  detail: string;
  /** For warn and fail: what to do about it. */
  fix?: string;
  /** How long the check took, when that says something (a ping, an inference). */
  ms?: number;
  /** Figures for machines (`--json`): offsets, byte counts, timings. */
  data?: Record<string, number | string | boolean | null>;
}

export interface DoctorReport {
  ok: boolean;
  at: string;
  durationMs: number;
  /** Null when the configuration could not be loaded. */
  config: { file: string | null; env: string[]; startLine: string; dataDir: string } | null;
  checks: CheckResult[];
}

/** What the checks after the configuration get to work with. */
export interface DoctorContext {
  config: KioskConfig;
  sources: ConfigSources;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The host's secret store (sealed credentials open only through it); absent: 0600 files. */
  secrets?: SecretStore;
}

export interface DoctorOptions {
  /** How to load the configuration: the same inputs as the kiosk (argv --config, env, cwd, host data folder). */
  configSource?: ConfigSource;
  /** The Electron GPU guard's gpu-state.json, when known (it records a fallback to software rendering). */
  gpuStateFile?: string | null;
  /** Runs a helper program (xset); injectable for tests. Null result = the program is not there. */
  runProgram?: RunProgram;
  /** The host's secret store: the packaged app passes its safeStorage one. */
  secrets?: SecretStore;
}

export type RunProgram = (command: string, args: string[], env: NodeJS.ProcessEnv) => { status: number | null; stdout: string } | null;

export const ok = (id: string, title: string, detail: string, ms?: number): CheckResult => ({ id, title, status: 'ok', detail, ...(ms === undefined ? {} : { ms }) });
export const warn = (id: string, title: string, detail: string, fix: string): CheckResult => ({ id, title, status: 'warn', detail, fix });
export const fail = (id: string, title: string, detail: string, fix: string, ms?: number): CheckResult => ({ id, title, status: 'fail', detail, fix, ...(ms === undefined ? {} : { ms }) });
export const skip = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'skip', detail });

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Resolves to the check's result, or to a failure naming the limit when it takes longer. */
export async function withinMs<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
