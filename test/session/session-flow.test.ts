import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionFlow, transitions, type Phase, type SessionState } from '../../src/session/session-flow.js';

describe('session transition table', () => {
  it('lets every phase be left again (no dead ends)', () => {
    for (const phase of Object.keys(transitions) as Phase[]) {
      expect(Object.keys(transitions[phase]).length, phase).toBeGreaterThan(0);
    }
  });

  it('gives every waiting phase a timeout or an exit the machine drives itself', () => {
    expect(transitions.waiting_login.timeout).toBe('idle');
    expect(transitions.active.timeout).toBe('finished');
    expect(transitions.finished.timeout).toBe('idle');
    expect(transitions.processing.item_end).toBe('active');
  });
});

describe('SessionFlow', () => {
  afterEach(() => vi.useRealTimers());

  it('walks guest start → item → finish → idle after the thank-you timeout', () => {
    vi.useFakeTimers();
    const seen: SessionState[] = [];
    const flow = new SessionFlow((s) => seen.push(s), { waitingLoginMs: 1000, activeIdleMs: 1000, finishedMs: 500 });
    expect(flow.send('start_guest')).toBe(true);
    expect(flow.current).toMatchObject({ phase: 'active', mode: 'guest' });
    expect(flow.current.sessionId).toMatch(/[0-9a-f-]{36}/);
    expect(flow.send('authorized')).toBe(false);
    flow.send('item_begin');
    flow.send('item_end');
    flow.send('finish');
    expect(flow.current.phase).toBe('finished');
    vi.advanceTimersByTime(501);
    expect(flow.current.phase).toBe('idle');
    expect(flow.current.sessionId).toBeNull();
    expect(seen.map((s) => s.phase)).toEqual(['active', 'processing', 'active', 'finished', 'idle']);
  });

  it('ends an abandoned session when the idle deadline passes, and resets the deadline on activity', () => {
    vi.useFakeTimers();
    const flow = new SessionFlow(() => undefined, { waitingLoginMs: 1000, activeIdleMs: 1000, finishedMs: 500 });
    flow.send('start_guest');
    vi.advanceTimersByTime(800);
    flow.update({ totalPoints: 10 });
    vi.advanceTimersByTime(800);
    expect(flow.current.phase).toBe('active');
    vi.advanceTimersByTime(300);
    expect(flow.current.phase).toBe('finished');
    expect(flow.current.totalPoints).toBe(10);
  });

  it('does not time out while an item is being processed', () => {
    vi.useFakeTimers();
    const flow = new SessionFlow(() => undefined, { waitingLoginMs: 1000, activeIdleMs: 1000, finishedMs: 500 });
    flow.send('start_guest');
    flow.send('item_begin');
    vi.advanceTimersByTime(5000);
    expect(flow.current.phase).toBe('processing');
    flow.dispose();
  });

  it('holds finish and the idle timeout while an item is still riding to its bin, then ends the session once it is done', () => {
    vi.useFakeTimers();
    const flow = new SessionFlow(() => undefined, { waitingLoginMs: 1000, activeIdleMs: 1000, finishedMs: 500 });
    flow.send('start_guest');
    flow.send('item_begin');
    const release = flow.hold();
    flow.send('item_end'); // the intake is free: the item rides to its bin
    expect(flow.send('finish')).toBe(true);
    expect(flow.current.phase).toBe('active');
    vi.advanceTimersByTime(5000); // the idle timeout fires too: still held
    expect(flow.current.phase).toBe('active');
    flow.update({ items: [{ id: 'i', material: 'pet', accepted: true, points: 10, outcome: 'accepted', returned: false, at: 1 }], totalPoints: 10 });
    release();
    expect(flow.current).toMatchObject({ phase: 'finished', totalPoints: 10 });
    release(); // twice is harmless
    expect(flow.current.phase).toBe('finished');
    flow.dispose();
  });

  it('ends at once when nothing is held, and a hold released with no end asked for changes nothing', () => {
    const flow = new SessionFlow(() => undefined);
    flow.send('start_guest');
    flow.hold()();
    expect(flow.current.phase).toBe('active');
    expect(flow.send('finish')).toBe(true);
    expect(flow.current.phase).toBe('finished');
    flow.dispose();
  });
});
