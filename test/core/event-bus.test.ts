import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/event-bus.js';
import { onLog } from '../../src/log/logger.js';

interface TestEvents {
  'a.count': { n: number };
  'b.name': string;
}

const offs: Array<() => void> = [];
afterEach(() => {
  offs.splice(0).forEach((off) => off());
  vi.useRealTimers();
});

describe('event bus', () => {
  it('delivers each payload to the listeners of its name only, in subscription order', () => {
    const bus = new EventBus<TestEvents>();
    const seen: string[] = [];
    bus.on('a.count', ({ n }) => seen.push(`first ${n}`));
    bus.on('a.count', ({ n }) => seen.push(`second ${n}`));
    bus.on('b.name', (name) => seen.push(`name ${name}`));
    bus.emit('a.count', { n: 1 });
    bus.emit('b.name', 'x');
    expect(seen).toEqual(['first 1', 'second 1', 'name x']);
  });

  it('unsubscribes, and `once` delivers a single time', () => {
    const bus = new EventBus<TestEvents>();
    const seen: number[] = [];
    const off = bus.on('a.count', ({ n }) => seen.push(n));
    bus.once('a.count', ({ n }) => seen.push(n * 100));
    bus.emit('a.count', { n: 1 });
    off();
    bus.emit('a.count', { n: 2 });
    expect(seen).toEqual([1, 100]);
    expect(bus.listenerCount('a.count')).toBe(0);
  });

  it('keeps a throwing listener from reaching the emitter or the other listeners, and logs it at most once a second', () => {
    vi.useFakeTimers();
    const bus = new EventBus<TestEvents>();
    const lines: string[] = [];
    offs.push(onLog((level, scope, message) => lines.push(`${level} ${scope} ${message}`)));
    const after: number[] = [];
    bus.on('a.count', () => {
      throw new Error('broken listener');
    });
    bus.on('a.count', ({ n }) => after.push(n));
    for (let n = 0; n < 50; n += 1) expect(() => bus.emit('a.count', { n })).not.toThrow();
    expect(after).toHaveLength(50);
    expect(lines.filter((l) => l.includes('bus listener failed'))).toHaveLength(1);
    vi.advanceTimersByTime(1_001);
    bus.emit('a.count', { n: 99 });
    expect(lines.filter((l) => l.includes('bus listener failed'))).toHaveLength(2);
  });

  it('lets a listener unsubscribe itself during delivery without skipping the next one', () => {
    const bus = new EventBus<TestEvents>();
    const seen: string[] = [];
    const off = bus.on('b.name', () => {
      seen.push('self-removing');
      off();
    });
    bus.on('b.name', () => seen.push('next'));
    bus.emit('b.name', 'x');
    bus.emit('b.name', 'y');
    expect(seen).toEqual(['self-removing', 'next', 'next']);
  });

  it('checks names and payloads at compile time', () => {
    const bus = new EventBus<TestEvents>();
    // @ts-expect-error unknown event name
    bus.emit('c.unknown', 1);
    // @ts-expect-error wrong payload type
    bus.emit('a.count', { n: 'one' });
    expect(bus.listenerCount('a.count')).toBe(0);
  });
});
