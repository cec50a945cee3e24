/**
 * The fleet benchmark's machinery, small: five headless kiosk cores (detection off, each with its own data
 * folder) in a worker process against one server simulator, through a 5-second outage. Every credit reaches
 * the server exactly once and every outbox empties. The recovery figures (peak-to-mean, drain time) are the
 * benchmark's business (`npm run fleet`), never asserted here.
 */
import { describe, expect, it } from 'vitest';
import { runFleet } from '../../bench/fleet/run.js';

describe('fleet through an outage (smoke)', () => {
  it('delivers every credit of 5 kiosks once after a 5 s outage, and reports the figures', async () => {
    const figures = await runFleet({
      n: 5,
      outageMs: 5_000,
      workers: 1,
      settleMs: 0,
      windowS: 3,
      drainCeilingMs: 20_000,
      itemsBefore: 1,
      itemsDuring: 1,
      // Short spreads and backoffs so the run fits a test; the benchmark uses the defaults.
      overrides: { server: { spreadMs: 500, handshakeFirstDelayMs: 200, realtime: { reconnectCapMs: 1_000 } }, outbox: { backoff: { firstMs: 200, maxMs: 1_000 } } },
    });
    expect(figures).toMatchObject({ n: 5, outage_s: 5, credits: 10, duplicates: 0, lost: 0 });
    expect(figures.drain_s).not.toBeNull();
    expect(figures.per_second_after_return).toHaveLength(3);
    expect(figures.startup_per_core_ms).toBeGreaterThan(0);
  }, 60_000);
});
