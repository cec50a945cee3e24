/** The "are you still there?" prompt, its Continue, and a timeout that keeps every credit. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionFlow, type SessionState } from '../../src/session/session-flow.js';

const timeouts = { waitingLoginMs: 1000, activeIdleMs: 10_000, finishedMs: 5000, stillTherePromptMs: 3000 };

function start(seen: SessionState[] = []): SessionFlow {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
  const flow = new SessionFlow((s) => seen.push(structuredClone(s)), timeouts);
  flow.send('start_guest');
  return flow;
}

describe('still there?', () => {
  afterEach(() => vi.useRealTimers());

  it('sets promptAt the configured time before the active deadline, and only in active', () => {
    const flow = start();
    const { deadline, promptAt } = flow.current;
    expect(deadline).toBe(Date.now() + 10_000);
    expect(promptAt).toBe(deadline! - 3000);
    flow.send('item_begin');
    expect(flow.current.promptAt).toBeNull();
    flow.send('item_end');
    expect(flow.current.promptAt).toBe(flow.current.deadline! - 3000);
    flow.send('finish');
    expect(flow.current).toMatchObject({ phase: 'finished', promptAt: null });
    vi.advanceTimersByTime(5001);
    expect(flow.current).toMatchObject({ phase: 'idle', promptAt: null, deadline: null });
    flow.dispose();
  });

  it('never puts the prompt before now when the lead is longer than the idle time', () => {
    vi.useFakeTimers();
    const flow = new SessionFlow(() => undefined, { ...timeouts, activeIdleMs: 2000, stillTherePromptMs: 5000 });
    flow.send('start_guest');
    expect(flow.current.promptAt).toBe(Date.now());
    flow.dispose();
  });

  it('defaults the lead to 20 s when the timeouts do not name one', () => {
    vi.useFakeTimers();
    const flow = new SessionFlow(() => undefined, { waitingLoginMs: 1000, activeIdleMs: 90_000, finishedMs: 500 });
    flow.send('start_guest');
    expect(flow.current.deadline! - flow.current.promptAt!).toBe(20_000);
    flow.dispose();
  });

  it('Continue during the prompt starts the idle time over and clears the prompt', () => {
    const seen: SessionState[] = [];
    const flow = start(seen);
    vi.advanceTimersByTime(8000); // the prompt is showing (promptAt was 7 s in)
    expect(Date.now()).toBeGreaterThanOrEqual(flow.current.promptAt!);
    expect(flow.extend()).toBe(true);
    expect(flow.current.deadline).toBe(Date.now() + 10_000);
    expect(flow.current.promptAt).toBe(Date.now() + 7000);
    expect(seen.at(-1)).toMatchObject({ phase: 'active', promptAt: Date.now() + 7000 }); // the screen is told
    vi.advanceTimersByTime(9000); // past the first deadline, not the new one
    expect(flow.current.phase).toBe('active');
    vi.advanceTimersByTime(1001);
    expect(flow.current.phase).toBe('finished');
    flow.dispose();
  });

  it('Continue on the end screen keeps it up longer; in idle and processing there is nothing to extend', () => {
    const flow = start();
    flow.send('item_begin');
    expect(flow.extend()).toBe(false);
    flow.send('item_end');
    flow.send('finish');
    vi.advanceTimersByTime(4000);
    expect(flow.extend()).toBe(true);
    vi.advanceTimersByTime(4000);
    expect(flow.current.phase).toBe('finished');
    vi.advanceTimersByTime(1001);
    expect(flow.current.phase).toBe('idle');
    expect(flow.extend()).toBe(false);
    flow.dispose();
  });

  it('a timeout during active ends the session as finished with every item, point and the claim code kept', () => {
    const flow = start();
    flow.update({ claimCode: 'ACDEFGHJ', claimUrl: 'myrvm://claim?code=ACDEFGHJ&rvm=x' });
    flow.send('item_begin');
    const items = [
      { id: 'a', material: 'pet', accepted: true, points: 10, outcome: 'accepted' as const, returned: false, at: Date.now() },
      { id: 'b', material: 'can', accepted: true, points: 12, outcome: 'accepted' as const, returned: false, at: Date.now() },
    ];
    flow.update({ items, totalPoints: 22 });
    flow.send('item_end');
    vi.advanceTimersByTime(10_001);
    expect(flow.current).toMatchObject({ phase: 'finished', items, totalPoints: 22, claimCode: 'ACDEFGHJ', donated: false, promptAt: null });
    vi.advanceTimersByTime(5001);
    expect(flow.current).toMatchObject({ phase: 'idle', items: [], totalPoints: 0, claimCode: null, claimUrl: null });
    flow.dispose();
  });
});
