/** The kiosk process's own memory rides in every health_metrics (handshake, heartbeat, telemetry, metrics). */
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '../../src/server/device-report.js';
import { processMemory } from '../../src/server/system-info.js';

describe('process memory in the health metrics', () => {
  it('reports RSS and heap used in MiB, one decimal', () => {
    expect(processMemory({ rss: 412.34 * 1024 * 1024, heapUsed: 33.26 * 1024 * 1024 })).toEqual({ process_rss_mb: 412.3, process_heap_used_mb: 33.3 });
  });

  it('is in the heartbeat and the metrics this process sends, within reach of what Node measures', () => {
    const report = new DeviceReport({ hardwareId: 'RVM-1', fallbackName: 'kiosk', timezone: 'Asia/Jakarta', version: 't', dataDir: process.cwd() });
    const rssMiB = process.memoryUsage().rss / 1024 / 1024;
    for (const health of [report.heartbeat().health_metrics, report.metrics([], Date.now()).health_metrics, report.handshake().health_metrics]) {
      expect(health.process_rss_mb).toBeGreaterThan(rssMiB * 0.5);
      expect(health.process_rss_mb).toBeLessThan(rssMiB * 2);
      expect(health.process_heap_used_mb).toBeGreaterThan(0);
      expect(health.process_heap_used_mb!).toBeLessThan(health.process_rss_mb!);
    }
  });
});
