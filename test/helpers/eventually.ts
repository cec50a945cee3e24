/**
 * The one way tests wait for state reached asynchronously: retry a check until it passes or a ceiling is
 * reached, then fail naming what was awaited and the last reason it did not pass. Never a timing assertion:
 * the ceiling only makes a hang fail clearly and before the test's own timeout.
 *
 * The check passes when it returns (or resolves to) anything but `false` without throwing, so both styles work:
 *   await eventually(() => box.state().pending === 0, { what: 'the flush' });
 *   await eventually(() => expect(seen).toContain('drop'), { what: 'the drop event' });
 *   const frame = await eventually(() => got.find((f) => f.event === 'pong') ?? false, { what: 'a pong' });
 *
 * Timers are the real ones captured at load, so it keeps working while a test has fake timers installed (it
 * does not advance them). No vitest import: child-process fixtures run under plain tsx can use it too.
 */

export interface EventuallyOptions {
  /** What is awaited, for the failure message: "timed out after 10000 ms waiting for <what>". */
  what: string;
  /** Ceiling; default 10 s (below the node project's 30 s test timeout). */
  timeoutMs?: number;
  /** Pause between checks; default 10 ms. */
  intervalMs?: number;
}

export class EventuallyTimeout extends Error {
  override name = 'EventuallyTimeout';
}

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realNow = Date.now.bind(Date);

const NOT_YET = Symbol('not yet');
const pause = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

export async function eventually<T>(check: () => T | Promise<T>, { what, timeoutMs = 10_000, intervalMs = 10 }: EventuallyOptions): Promise<Exclude<Awaited<T>, false>> {
  const deadline = realNow() + timeoutMs;
  let lastError: unknown = undefined;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const outcome = await attempt(check, deadline);
    if (outcome.ok) return outcome.value as Exclude<Awaited<T>, false>;
    lastError = outcome.error;
    const left = deadline - realNow();
    if (left <= 0) {
      throw new EventuallyTimeout(`timed out after ${timeoutMs} ms waiting for ${what} (${attempts} checks); last: ${firstLine(lastError)}`, { cause: lastError });
    }
    await pause(Math.min(intervalMs, left));
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One check; an async check still pending at the deadline counts as a failed check (it cannot hang the wait). */
async function attempt<T>(check: () => T | Promise<T>, deadline: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = check();
    const value = isThenable(result)
      ? await Promise.race([
          result,
          new Promise<typeof NOT_YET>((resolve) => (timer = realSetTimeout(() => resolve(NOT_YET), Math.max(0, deadline - realNow())))),
        ])
      : result;
    if (value === NOT_YET) return { ok: false, error: new Error('the check was still pending at the deadline') };
    if (value === false) return { ok: false, error: new Error('the check returned false') };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  } finally {
    if (timer !== undefined) realClearTimeout(timer);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function firstLine(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
