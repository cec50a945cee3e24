/** setupHardware as create-kiosk calls it: demo on a pty, the in-process fallback, and serial mode. */
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskContext } from '../../src/app/context.js';
import { setupHardware } from '../../src/app/setup-hardware.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { describeWithSocat } from '../helpers/pty.js';
import { eventually } from '../helpers/eventually.js';
import { testContext } from '../helpers/context.js';

const cores: KioskCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

function context(hardware: Record<string, unknown>): KioskContext {
  const core = new KioskCore();
  cores.push(core);
  const config = kioskConfig.parse({ hardware: { heartbeatMs: 100, startupWaitMs: 5000, testPulseMs: 0, ...hardware } });
  const ctx = testContext(config, { core, demoMode: config.hardware.mode === 'simulator' });
  ctx.status.markStarted();
  return ctx;
}

describeWithSocat('setupHardware in demo mode', () => {
  it('runs the simulated machine over a pty and walks an item through the MachinePort', async () => {
    const ctx = context({ simulator: { timings: 'instant' } });
    const machine = await setupHardware(ctx);
    expect(ctx.core.current('hardware.state')).toMatchObject({ status: 'connected', transport: 'pty', simulated: true });
    expect(ctx.status.state).toBe('ready');
    const seen: string[] = [];
    machine.on('itemPresent', () => seen.push('present'));
    machine.on('itemDropped', (bin) => seen.push(`dropped ${bin}`));
    await expect(ctx.core.call('hardware.simulateInsert', { kind: 'can' })).resolves.toEqual({ kind: 'can', weightGrams: 14, volumeMl: 330 });
    await eventually(() => seen.includes('present'), { what: 'itemPresent' });
    await expect(ctx.core.call('hardware.simulateInsert', { kind: 'pet' })).rejects.toThrow(/already in the intake/);
    await machine.sortTo('can');
    await eventually(() => seen.includes('dropped can'), { what: 'itemDropped' });
    await machine.setDoorLocked(true);
    await expect(ctx.core.call('hardware.simulateInsert', { kind: 'pet' })).rejects.toThrow(/door is locked/);
    const status = await ctx.core.call('hardware.status', {});
    expect(status).toMatchObject({ door: { locked: true }, itemPresent: false, faults: [] });
    expect(status.bins.bins.can.percent).toBe(1);
  });
});

describe('setupHardware without a pseudo-terminal', () => {
  it('falls back to an in-process link when socat is missing, and says so on the status board', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    let ctx: KioskContext;
    try {
      ctx = context({ simulator: { timings: 'instant' } });
      await setupHardware(ctx);
    } finally {
      process.env.PATH = path;
    }
    expect(ctx.core.current('hardware.state')).toMatchObject({ status: 'connected', transport: 'in-process' });
    const status = ctx.core.current('system.status');
    expect(status?.notices).toContainEqual({ code: 'hardware_in_process', detail: expect.stringMatching(/socat is not installed/) });
    // Informational only: the in-process demo still takes items.
    expect(status?.reasons).toEqual([]);
    await expect(ctx.core.call('hardware.test', { action: 'ping' })).resolves.toMatchObject({ ok: true });
  });

  it('in serial mode reports the missing port, keeps trying, and refuses the demo-only commands', async () => {
    const ctx = context({ mode: 'serial', serial: { path: '/nonexistent/ttyRVM' }, startupWaitMs: 0, queueWaitMs: 100, reconnect: { initialMs: 20, maxMs: 50 } });
    const machine = await setupHardware(ctx);
    await eventually(() => (ctx.core.current('hardware.state')?.attempts ?? 0) >= 2, { what: 'repeated open attempts' });
    expect(ctx.core.current('hardware.state')).toMatchObject({ transport: 'serial', simulated: false, lastError: expect.stringMatching(/ttyRVM|No such file/) });
    expect(ctx.status.has('link_lost')).toBe(true);
    await expect(ctx.core.call('hardware.simulateInsert', { kind: 'pet' })).rejects.toThrow(/only works with the built-in simulator/);
    await expect(ctx.core.call('hardware.simulateFault', { fault: 'jam' })).rejects.toThrow(/only works with the built-in simulator/);
    const ping = await ctx.core.call('hardware.test', { action: 'ping' });
    expect(ping).toMatchObject({ ok: false, detail: expect.stringMatching(/controller link is (connecting|lost) since .*'ping' was not sent/) });
    await expect(machine.setDoorLocked(true)).rejects.toMatchObject({ code: 'link_down' });
  });
});
