import { describe, expect, it } from 'vitest';
import { clockConfig } from '../../src/clock/config.js';
import { OffsetEstimator } from '../../src/clock/offset-estimator.js';
import { inferResolution, sampleInterval } from '../../src/clock/time-sample.js';

const options = clockConfig.parse({});
const T0 = Date.UTC(2026, 0, 31, 3, 0, 0);

describe('time samples', () => {
  it('infers whole-second resolution for server_time, HTTP Date and round epoch values', () => {
    expect(inferResolution('2026-01-31T10:00:00+07:00')).toBe(1000);
    expect(inferResolution('Sat, 31 Jan 2026 03:00:00 GMT')).toBe(1000);
    expect(inferResolution('2026-01-31T03:00:00.123Z')).toBe(1);
    expect(inferResolution(T0)).toBe(1000);
    expect(inferResolution(T0 + 7)).toBe(1);
  });

  it('turns a sample into the interval the offset must lie in', () => {
    const interval = sampleInterval({ serverTime: '2026-01-31T10:00:05+07:00', sentAt: T0, receivedAt: T0 + 100 }, 10_000);
    expect(interval).toEqual({ low: 5000 - 100, high: 5000 + 1000, rttMs: 100, at: T0 + 100 });
  });

  it('refuses samples that prove nothing', () => {
    expect(sampleInterval({ serverTime: 'soon', sentAt: T0, receivedAt: T0 + 1 }, 10_000)).toMatch(/unreadable/);
    expect(sampleInterval({ serverTime: T0, sentAt: T0, receivedAt: T0 - 5 }, 10_000)).toMatch(/negative/);
    expect(sampleInterval({ serverTime: T0, sentAt: T0, receivedAt: T0 + 20_000 }, 10_000)).toMatch(/too slow/);
  });
});

describe('OffsetEstimator', () => {
  it('uses the round-trip midpoint for one precise sample', () => {
    const estimator = new OffsetEstimator(options);
    estimator.add({ serverTime: T0 + 10_060, sentAt: T0, receivedAt: T0 + 120, resolutionMs: 0 });
    expect(estimator.estimate(T0 + 120)).toMatchObject({ offsetMs: 10_000, uncertaintyMs: 60, used: 1 });
  });

  it('trusts the lowest round trip when samples disagree', () => {
    const estimator = new OffsetEstimator(options);
    // True offset 2000 ms. A slow reply with a very asymmetric path points 400 ms off; the fast one is right.
    estimator.add({ serverTime: T0 + 2000 + 50, sentAt: T0, receivedAt: T0 + 1000, resolutionMs: 0 });
    estimator.add({ serverTime: T0 + 5000 + 2000 + 10, sentAt: T0 + 5000, receivedAt: T0 + 5020, resolutionMs: 0 });
    const estimate = estimator.estimate(T0 + 5020)!;
    expect(Math.abs(estimate.offsetMs - 2000)).toBeLessThanOrEqual(10);
  });

  it('pins the offset well below a second from whole-second stamps taken at different phases', () => {
    const trueOffset = 12_345;
    const estimator = new OffsetEstimator(options);
    for (let k = 0; k < 8; k += 1) {
      const sentAt = T0 + k * 47_123; // heartbeats at irregular phases
      const serverStamp = sentAt + 20 + trueOffset; // server stamps half-way through a 40 ms round trip
      estimator.add({ serverTime: new Date(Math.floor(serverStamp / 1000) * 1000).toISOString().replace('.000Z', 'Z'), sentAt, receivedAt: sentAt + 40 });
    }
    const estimate = estimator.estimate(T0 + 8 * 47_123)!;
    expect(Math.abs(estimate.offsetMs - trueOffset)).toBeLessThanOrEqual(estimate.uncertaintyMs);
    expect(estimate.uncertaintyMs).toBeLessThan(100); // one such sample alone: ±520 ms
    expect(estimate.used).toBe(8);
  });

  it('ignores one contradicting sample, but restarts when a second one confirms a clock step', () => {
    const estimator = new OffsetEstimator(options);
    estimator.add({ serverTime: T0 + 1000, sentAt: T0, receivedAt: T0 + 20, resolutionMs: 0 });
    const odd = estimator.add({ serverTime: T0 + 60_000 + 1000 + 3_600_000, sentAt: T0 + 60_000, receivedAt: T0 + 60_020, resolutionMs: 0 });
    expect(odd).toMatchObject({ accepted: false });
    expect(Math.round(estimator.estimate(T0 + 60_020)!.offsetMs)).toBe(990);
    const confirm = estimator.add({ serverTime: T0 + 120_000 + 1000 + 3_600_000, sentAt: T0 + 120_000, receivedAt: T0 + 120_020, resolutionMs: 0 });
    expect(confirm).toEqual({ accepted: true, restarted: true });
    expect(Math.round(estimator.estimate(T0 + 120_020)!.offsetMs)).toBe(3_600_990);
  });

  it('follows a device clock step without new samples', () => {
    const estimator = new OffsetEstimator(options);
    estimator.add({ serverTime: T0 + 500, sentAt: T0, receivedAt: T0 + 20, resolutionMs: 0 });
    estimator.shift(-60_000); // device clock set back a minute
    expect(Math.round(estimator.estimate(T0 - 60_000)!.offsetMs)).toBe(60_490);
  });

  it('lets old samples stop shaping the estimate but keeps the newest one', () => {
    const estimator = new OffsetEstimator({ ...options, sampleMaxAgeMs: 10_000 });
    estimator.add({ serverTime: T0 + 1000, sentAt: T0, receivedAt: T0 + 10, resolutionMs: 0 }); // narrow, old
    estimator.add({ serverTime: T0 + 20_000 + 1500, sentAt: T0 + 20_000, receivedAt: T0 + 20_400, resolutionMs: 0 }); // wide, newer
    expect(estimator.estimate(T0 + 25_000)).toMatchObject({ used: 1, uncertaintyMs: 200 });
    expect(estimator.estimate(T0 + 99_000)).toMatchObject({ used: 1, uncertaintyMs: 200 });
  });
});
