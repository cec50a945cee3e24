import { describe, expect, it } from 'vitest';
import { StatusBoard } from '../../src/app/status-board.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { binNamedBy, HardwareMonitor } from '../../src/hardware/hardware-monitor.js';
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
    const faultyBins: string[][] = [];
    const monitor = new HardwareMonitor(
      driver,
      {
        onLink: (payload) => core.emit('hardware.state', payload),
        onBins: (levels) => {
          core.emit('hardware.bins', levels);
          status.availability.setBinLevels(levels);
        },
        onBinFaults: (bins) => faultyBins.push(bins),
        alarms: status,
      },
      { binFullPercent: 95, simulated: false },
    );
    emit({ type: 'fill', bin: 'can', percent: 80 });
    expect(core.current('hardware.bins')?.bins.can).toEqual({ percent: 80, full: false });
    monitor.setBinFullPercent(75);
    expect(core.current('hardware.bins')).toMatchObject({ thresholdPercent: 75, bins: { can: { percent: 80, full: true } } });
    // A full bin refuses its material; it is no out-of-service reason.
    expect(status.has('bin_full')).toBe(false);
    expect(core.current('system.status')?.materials.can).toEqual({ accepting: false, reason: 'bin_full' });
    expect(status.state).toBe('ready');
    monitor.setBinFullPercent(0);
    monitor.setBinFullPercent(Number.NaN);
    expect(core.current('hardware.bins')?.thresholdPercent).toBe(75);
    monitor.dispose();
  });
});

describe('controller faults', () => {
  it('sends a fault naming a bin to availability and keeps other faults as hardware_fault', () => {
    const core = new KioskCore();
    const status = new StatusBoard(core, 'T', false);
    status.markStarted();
    const { driver, emit } = fakeDriver();
    const faultyBins: string[][] = [];
    const monitor = new HardwareMonitor(
      driver,
      { onLink: () => undefined, onBins: () => undefined, onBinFaults: (bins) => faultyBins.push(bins), alarms: status },
      { binFullPercent: 90, simulated: false },
    );
    emit({ type: 'fault', code: 'bin_sensor_glass', active: true });
    expect(faultyBins.at(-1)).toEqual(['glass']);
    expect(status.has('hardware_fault')).toBe(false);
    emit({ type: 'fault', code: 'jam', active: true });
    expect(status.has('hardware_fault')).toBe(true);
    expect(core.current('system.status')?.reasons).toContainEqual({ code: 'hardware_fault', detail: 'jam' });
    emit({ type: 'fault', code: 'bin_sensor_glass', active: false });
    expect(faultyBins.at(-1)).toEqual([]);
    expect(binNamedBy('glass-gate')).toBe('glass');
    expect(binNamedBy('canopy')).toBeNull();
    monitor.dispose();
  });
});
