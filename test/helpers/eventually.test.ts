/** The waiting helper itself: passes as soon as the check does, fails at the ceiling naming what it waited for. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually, EventuallyTimeout } from './eventually.js';

afterEach(() => vi.useRealTimers());

describe('eventually', () => {
  it('returns at once when the check already passes, without pausing', async () => {
    const check = vi.fn(() => 42);
    await expect(eventually(check, { what: 'the answer', intervalMs: 10_000 })).resolves.toBe(42);
    expect(check).toHaveBeenCalledOnce();
  });

  it('retries a predicate until it turns true, and a getter until it has a value', async () => {
    let calls = 0;
    await eventually(() => ++calls === 4, { what: 'the fourth call', intervalMs: 1 });
    expect(calls).toBe(4);

    const got: string[] = [];
    setTimeout(() => got.push('pong'), 5);
    const frame: string = await eventually(() => got.find((f) => f === 'pong') ?? false, { what: 'a pong', intervalMs: 1 });
    expect(frame).toBe('pong');
  });

  it('retries an assertion until it stops throwing, and awaits async checks', async () => {
    const seen: string[] = [];
    setTimeout(() => seen.push('drop'), 5);
    await eventually(() => expect(seen).toContain('drop'), { what: 'the drop', intervalMs: 1 });
    let n = 0;
    await expect(eventually(async () => ++n >= 3 && `after ${n}`, { what: 'three async checks', intervalMs: 1 })).resolves.toBe('after 3');
  });

  it('fails at the ceiling naming what it waited for and the last error', async () => {
    const started = Date.now();
    const error = await eventually(() => expect(1 + 1).toBe(3), { what: 'arithmetic to change', timeoutMs: 50, intervalMs: 5 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(error).toBeInstanceOf(EventuallyTimeout);
    expect((error as Error).message).toMatch(/^timed out after 50 ms waiting for arithmetic to change \(\d+ checks\); last: expected 2 to be 3/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('says so when the check kept returning false', async () => {
    await expect(eventually(() => false, { what: 'never', timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(
      /waiting for never \(\d+ checks\); last: the check returned false$/,
    );
  });

  it('does not let a hung async check outlast the ceiling', async () => {
    await expect(eventually(() => new Promise<boolean>(() => undefined), { what: 'a hung check', timeoutMs: 30 })).rejects.toThrow(
      /waiting for a hung check .*still pending at the deadline/,
    );
  });

  it('keeps real time while the test has fake timers installed', async () => {
    vi.useFakeTimers();
    let ready = false;
    queueMicrotask(() => void Promise.resolve().then(() => (ready = true)));
    await expect(eventually(() => ready, { what: 'the flag', intervalMs: 1, timeoutMs: 1000 })).resolves.toBe(true);
    await expect(eventually(() => false, { what: 'nothing', timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(/waiting for nothing/);
    expect(vi.getTimerCount()).toBe(0); // its pauses are not on the faked clock
  });
});
