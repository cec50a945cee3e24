/**
 * What every fuzz family shares: a seeded generator (so a failure names its seed and replays), the one count
 * knob (reduced in `npm test`, full under FUZZ_FULL=1 / `npm run fuzz`), a memory watch, and the figures each
 * family leaves in bench-output/fuzz/<family>.json for scripts/fuzz.ts to gather into bench-output/fuzz.json.
 *
 *   FUZZ_FULL=1        full counts (npm run fuzz sets it)
 *   FUZZ_SEED=<n>      replay one seed (printed by a failing case) instead of the family's fixed seed
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setLogSink, type LogSink } from '../../src/log/logger.js';
import { seededRandom } from '../helpers/seeded-random.js';

export const FUZZ_FULL = process.env.FUZZ_FULL === '1';

/** `reduced` in npm test, `full` under FUZZ_FULL=1. */
export function fuzzCount(reduced: number, full: number): number {
  return FUZZ_FULL ? full : reduced;
}

/** A family's test timeout: the full counts take minutes on a loaded 2-core machine. */
export const FAMILY_TIMEOUT_MS = FUZZ_FULL ? 20 * 60_000 : 240_000;

/** The family's fixed seed, or FUZZ_SEED when set (to replay a failure). */
export function fuzzSeed(fixed: number): number {
  const fromEnv = process.env.FUZZ_SEED;
  return fromEnv !== undefined && /^\d+$/.test(fromEnv) ? Number(fromEnv) : fixed;
}

export interface Rng {
  seed: number;
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  bytes(n: number): Buffer;
  /** A short string from `alphabet`. */
  text(maxLength: number, alphabet?: string): string;
}

/** Seeded (test/helpers/seeded-random.ts): the same sequence for the same seed on every machine. */
export function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:;_-/\\"\'{}[]<>=+*&%$#@!?~`|\u00e9\u4e2d\u{1f600}';
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    chance: (p) => next() < p,
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(256))),
    text: (maxLength, alphabet = PRINTABLE) => Array.from({ length: int(maxLength + 1) }, () => alphabet[int(alphabet.length)]).join(''),
  };
}

/** Runs a case; a throw is rethrown with the seed and case number, so the failure replays with FUZZ_SEED. */
export async function withSeed<T>(family: string, seed: number, index: number, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`[fuzz ${family}] case ${index} failed (replay: FUZZ_SEED=${seed}${FUZZ_FULL ? ' FUZZ_FULL=1' : ''}): ${message}`, { cause: err });
  }
}

let gcFn: (() => void) | null = null;
/** A full GC, so a heap reading after one measures what is retained, not what is merely not yet collected. */
export function collectGarbage(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** Samples RSS and heap while a family runs; `peak()` for the figures. */
export class MemoryWatch {
  private peakRss = 0;
  private peakHeap = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  constructor(intervalMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }
  sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHeap = Math.max(this.peakHeap, heapUsed);
  }
  stop(): { peakRssMiB: number; peakHeapMiB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMiB: mib(this.peakRss), peakHeapMiB: mib(this.peakHeap) };
  }
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Heap still held after a GC, in MiB. */
export function retainedHeapMiB(): number {
  collectGarbage();
  return mib(process.memoryUsage().heapUsed);
}

export const FIGURES_DIR = path.resolve('bench-output', 'fuzz');

/** One family's figures: printed always, written for scripts/fuzz.ts only in a full run (npm test writes nothing). */
export function reportFamily(family: string, figures: Record<string, number | string>): void {
  console.log(`[fuzz ${family}] ${FUZZ_FULL ? 'full' : 'reduced'}: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (!FUZZ_FULL) return;
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(path.join(FIGURES_DIR, `${family}.json`), `${JSON.stringify({ family, full: true, figures }, null, 2)}\n`);
}

/**
 * Awaits one promise under a ceiling (through eventually(), the tests' one way to wait): a hang fails naming
 * `what`; a rejection is rethrown as it is, never retried.
 */
export async function settles<T>(promise: Promise<T>, what: string, timeoutMs: number): Promise<T> {
  const { eventually } = await import('../helpers/eventually.js');
  let outcome: { value: T } | { error: unknown } | null = null;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  const done = await eventually(() => outcome ?? false, { what, timeoutMs });
  if ('error' in done) throw done.error;
  return done.value;
}

/**
 * Keeps the expected flood of warnings and errors (every bad input logs one) out of the test output while a
 * family runs; onLog listeners still see every line, so assertions on logs keep working. Returns the undo.
 */
export function quietLogs(): () => void {
  const previous: LogSink = setLogSink(() => undefined);
  return () => void setLogSink(previous);
}
