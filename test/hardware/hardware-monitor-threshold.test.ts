import { describe, expect, it } from 'vitest';
import { StatusBoard } from '../../src/app/status-board.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { HardwareMonitor } from '../../src/hardware/hardware-monitor.js';
import type { MachineDriver } from '../../src/hardware/driver/machine-driver.js';

/** Just enough driver for the monitor: a link that is up and a way to push controller events. */
function fakeDriver() {
  let onEvent: ((event: unknown) => void) | null = null;
  const driver = {
    state: { status: 'connected', since: Date.now(), port: 'fake', transport: 'serial', dialect: 'rvm1', firmware: null, attempts: 0, lastError: null },
    counters: { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, malformed: 0, naks: 0, timeouts: 0, retries: 0, reconnects: 0, staleReplies: 0, missedFrames: 0 },
    onState: () => () => undefined,
    onEvent: (listener: (event: unknown) => void) => {
      onEvent = listener;
      return () => undefined;
    },
    request: async () => undefined,
    dialect: { capabilities: { ops: new Set<string>() } },
  };
  return { driver: driver as unknown as MachineDriver, emit: (event: unknown) => onEvent?.(event) };
}

describe('bin-full threshold from the server', () => {
  it('re-judges the bins when the threshold changes, and ignores nonsense values', () => {
    const core = new KioskCore();
    const status = new StatusBoard(core, 'T', false);
    status.markStarted();
    const { driver, emit } = fakeDriver();
    const monitor = new HardwareMonitor(
      driver,
      { onLink: (payload) => core.emit('hardware.state', payload), onBins: (levels) => core.emit('hardware.bins', levels), alarms: status },
      { binFullPercent: 95, simulated: false },
    );
    emit({ type: 'fill', bin: 'can', percent: 80 });
    expect(core.current('hardware.bins')?.bins.can).toEqual({ percent: 80, full: false });
    monitor.setBinFullPercent(75);
    expect(core.current('hardware.bins')).toMatchObject({ thresholdPercent: 75, bins: { can: { percent: 80, full: true } } });
    expect(status.has('bin_full')).toBe(true);
    monitor.setBinFullPercent(0);
    monitor.setBinFullPercent(Number.NaN);
    expect(core.current('hardware.bins')?.thresholdPercent).toBe(75);
    monitor.dispose();
  });
});
