import { describe, expect, it } from 'vitest';
import { percentile, RequestStats } from '../../src/server/request-stats.js';

const entry = (ms: number, status: number | null) => ({ at: 0, method: 'GET', path: '/x', status, ms, attempt: 1 });

describe('request statistics', () => {
  it('counts totals, failures (no 2xx), average and p95', () => {
    const stats = new RequestStats();
    for (let i = 1; i <= 100; i += 1) stats.record(entry(i, i % 10 === 0 ? 503 : 200));
    stats.record(entry(50, null));
    const s = stats.snapshot(2);
    expect(s.total).toBe(101);
    expect(s.failed).toBe(11);
    expect(s.avgMs).toBeCloseTo((5050 + 50) / 101, 1);
    expect(s.p95Ms).toBe(95);
    expect(s.recent.map((r) => r.status)).toEqual([503, null]);
  });

  it('keeps the percentile to a sliding window', () => {
    const stats = new RequestStats(10, 5);
    for (let i = 0; i < 50; i += 1) stats.record(entry(1_000, 200));
    for (let i = 0; i < 10; i += 1) stats.record(entry(5, 200));
    expect(stats.snapshot().p95Ms).toBe(5);
    expect(stats.snapshot(100).recent).toHaveLength(5);
  });

  it('nearest-rank percentile of small sets', () => {
    expect(percentile([], 0.95)).toBe(0);
    expect(percentile([3], 0.95)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});
