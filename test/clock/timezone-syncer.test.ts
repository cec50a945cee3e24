/** The timezone syncer with a fake port under fake timers: pacing, figures, manual, dashboard, absent server. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimezoneSyncPort, TimezoneSyncRequest, TimezoneSyncResult } from '../../src/clock/ports.js';
import { SyncRecord } from '../../src/clock/sync-record.js';
import { TimezoneSyncer, type TimezoneSyncFiguresPayload } from '../../src/clock/timezone-syncer.js';
import { onLog } from '../../src/log/logger.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

class FakePort implements TimezoneSyncPort {
  requests: TimezoneSyncRequest[] = [];
  statusReads = 0;
  state: 'unknown' | 'available' | 'absent' = 'unknown';
  next: () => TimezoneSyncResult = () => ({ kind: 'synced', timezone: this.requests.at(-1)!.timezone, spelling: 'dash' });
  availability() {
    return this.state;
  }
  async sync(request: TimezoneSyncRequest): Promise<TimezoneSyncResult> {
    this.requests.push(request);
    const result = this.next();
    this.state = result.kind === 'unsupported' ? 'absent' : result.kind === 'synced' ? 'available' : this.state;
    return result;
  }
  async status() {
    this.statusReads += 1;
    return { timezone: 'Asia/Makassar', lastSyncAt: '2026-01-31T10:00:00+07:00', syncCount: 3 };
  }
}

class FakeClock {
  timezone = 'Asia/Makassar';
  figures: TimezoneSyncFiguresPayload[] = [];
  setTimezone(zone: string) {
    this.timezone = zone;
    return true;
  }
  setSyncFigures(f: TimezoneSyncFiguresPayload) {
    this.figures.push(f);
  }
}

let port: FakePort;
let clock: FakeClock;
let record: SyncRecord;
let syncer: TimezoneSyncer;

function make(initial: Parameters<typeof SyncRecord.inMemory>[0] = {}) {
  record = SyncRecord.inMemory(initial);
  syncer = new TimezoneSyncer({ port, record, target: clock, config: { autoEveryMs: HOUR, minIntervalMs: MIN } });
  syncer.start();
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  port = new FakePort();
  clock = new FakeClock();
  make();
});
afterEach(() => {
  syncer.stop();
  vi.useRealTimers();
});

describe('on a server with the endpoint', () => {
  it('syncs at once when asked, sends the zone with country and city, reads the status and keeps the figures', async () => {
    syncer.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(port.requests).toEqual([{ timezone: 'Asia/Makassar', country: 'Indonesia', city: 'Makassar', method: 'automatic', at: Date.now() }]);
    expect(port.statusReads).toBe(1);
    expect(syncer.figures()).toMatchObject({ availability: 'available', spelling: 'dash', successes: 1, failures: 0, successRate: 1, lastResult: 'synced', lastMethod: 'automatic', server: { timezone: 'Asia/Makassar', syncCount: 3 } });
    expect(clock.figures.at(-1)?.successes).toBe(1);
  });

  it('never syncs twice within a minute: requests in between are merged into one, a minute after the last', async () => {
    syncer.request();
    await vi.advanceTimersByTimeAsync(0);
    syncer.request();
    syncer.request('manual');
    syncer.request();
    await vi.advanceTimersByTimeAsync(MIN - 1);
    expect(port.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(port.requests.map((r) => r.method)).toEqual(['automatic', 'manual']);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(port.requests).toHaveLength(2);
  });

  it('syncs again every autoEveryMs on its own', async () => {
    syncer.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(syncer.figures().nextAutoAt).toBe(Date.now() + HOUR);
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(port.requests).toHaveLength(4);
  });

  it('the pace holds across a restart: the last attempt is in the record', async () => {
    make({ lastAttemptAt: Date.now() - 10_000 });
    syncer.request();
    await vi.advanceTimersByTimeAsync(49_999);
    expect(port.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(port.requests).toHaveLength(1);
  });

  it('manual: too soon within a minute (with the wait), then synced', async () => {
    const first = await syncer.syncNow();
    expect(first).toMatchObject({ outcome: 'synced', timezone: 'Asia/Makassar', retryInMs: null });
    expect(port.requests[0]?.method).toBe('manual');
    await vi.advanceTimersByTimeAsync(20_000);
    const early = await syncer.syncNow();
    expect(early).toMatchObject({ outcome: 'too_soon', retryInMs: 40_000 });
    expect(port.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(40_000);
    expect((await syncer.syncNow()).outcome).toBe('synced');
  });

  it('counts failures with their reason and the success rate; the zone the server answers is applied', async () => {
    const results: TimezoneSyncResult[] = [
      { kind: 'failed', reason: 'http_500' },
      { kind: 'failed', reason: 'network' },
      { kind: 'synced', timezone: 'Asia/Jayapura', spelling: 'slash' },
    ];
    port.next = () => results.shift()!;
    const warnings: string[] = [];
    const off = onLog((level, scope, message) => void (level === 'warn' && scope === 'clock' && warnings.push(message)));
    const a = await syncer.syncNow();
    expect(a).toMatchObject({ outcome: 'failed', reason: 'http_500' });
    await vi.advanceTimersByTimeAsync(MIN);
    expect((await syncer.syncNow()).reason).toBe('network');
    await vi.advanceTimersByTimeAsync(MIN);
    expect((await syncer.syncNow()).timezone).toBe('Asia/Jayapura');
    off();
    expect(clock.timezone).toBe('Asia/Jayapura');
    expect(syncer.figures()).toMatchObject({ successes: 1, failures: 2, lastResult: 'synced', lastError: null, spelling: 'slash', country: 'Indonesia', city: 'Jayapura' });
    expect(syncer.figures().successRate).toBeCloseTo(1 / 3);
    // One warning for a run of failures, not one per failure.
    expect(warnings).toEqual(['time-zone sync failed']);
  });

  it("the dashboard's timezone_update applies its zone at once and syncs back (as manual)", async () => {
    syncer.remoteUpdate('Asia/Jakarta');
    expect(clock.timezone).toBe('Asia/Jakarta');
    await vi.advanceTimersByTimeAsync(0);
    expect(port.requests).toMatchObject([{ timezone: 'Asia/Jakarta', method: 'manual', city: 'Jakarta' }]);
    syncer.remoteUpdate(null);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(port.requests).toHaveLength(2);
  });
});

describe("on today's MyRVM-Server (no endpoint)", () => {
  it('goes quiet after the first unsupported answer: no timer, no request, no log line, manual says unsupported', async () => {
    port.next = () => ({ kind: 'unsupported' });
    const lines: string[] = [];
    const off = onLog((_level, scope, message) => void (scope === 'clock' && lines.push(message)));
    syncer.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(port.requests).toHaveLength(1);
    for (let i = 0; i < 5; i += 1) {
      syncer.request();
      syncer.remoteUpdate(null);
      expect((await syncer.syncNow()).outcome).toBe('unsupported');
    }
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    off();
    expect(port.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(lines).toEqual([]);
    expect(syncer.figures()).toMatchObject({ availability: 'absent', successes: 0, failures: 0, successRate: null, nextAutoAt: null });
  });
});
