/**
 * Monitoring in the whole demo kiosk: the glass bin fills → a stop_material alert is raised (threshold from
 * the simulated server's handshake), visible through `monitoring.alerts`, the bus and the screen event, and it
 * resolves by itself once the bin is emptied. A stop_sessions alert takes the machine out of service as
 * `alert:<rule>`. Acknowledge and resolve are technicians' commands, stamped with the technician signed in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { AlertTransition, Reading } from '../../src/domain/events.js';
import { eventually } from '../helpers/eventually.js';
import { describeWithSocat } from '../helpers/pty.js';

const kiosks: KioskContext[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const k of kiosks.splice(0)) await k.core.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function demoKiosk(monitoring: object = {}): Promise<KioskContext> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-monitoring-app-'));
  dirs.push(dataDir);
  const kiosk = await createKiosk(
    kioskConfig.parse({
      dataDir,
      hardware: { simulator: { timings: 'instant' } },
      server: { simulator: { pin: '246810', technicianName: 'Siti' } },
      monitoring: { sampleMs: 100, ...monitoring },
    }),
  );
  kiosks.push(kiosk);
  return kiosk;
}

describeWithSocat('monitoring in the demo kiosk', () => {
  it('raises a stop_material alert when the glass bin fills and resolves it when the bin is emptied', async () => {
    const kiosk = await demoKiosk();
    const { core, bus } = kiosk;
    const transitions: AlertTransition[] = [];
    const readings: Reading[] = [];
    bus.on('monitoring.alert', (t) => transitions.push(t));
    bus.on('monitoring.readings', (batch) => readings.push(...batch));
    // The simulated server's handshake hands out its bin-full threshold; wait for it to arrive.
    await eventually(() => core.current('server.state')?.lastHandshakeAt != null, { what: 'the handshake' });

    await core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });
    const alerts = await eventually(
      async () => {
        const reply = await core.call('monitoring.alerts', {});
        return reply.open.some((a) => a.rule === 'bin_full.glass') ? reply : false;
      },
      { what: 'the glass bin alert' },
    );
    const alert = alerts.open.find((a) => a.rule === 'bin_full.glass')!;
    expect(alert).toMatchObject({ sensor: 'bin.glass', status: 'raised', value: 100, threshold: 90, thresholdSource: 'server', effect: { kind: 'stop_material', material: 'glass' } });
    expect(core.current('monitoring.alerts')?.open.map((a) => a.id)).toContain(alert.id);
    expect(transitions).toContainEqual(expect.objectContaining({ to: 'raised', alert: expect.objectContaining({ id: alert.id }) }));
    expect(core.current('system.status')?.notices).toContainEqual({ code: 'alert:bin_full.glass', detail: expect.stringMatching(/^glass not accepted: bin.glass 100 %/) });
    // On the bus once written (fsynced), which may land just after the alert.
    await eventually(() => expect(readings).toContainEqual(expect.objectContaining({ sensor: 'bin.glass', value: 100 })), { what: 'the reading on the bus' });

    await core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass', active: false });
    await eventually(async () => (await core.call('monitoring.alerts', {})).open.length === 0, { what: 'the alert to clear' });
    const log = await core.call('monitoring.alerts', { status: 'resolved', rule: 'bin_full' });
    expect(log.alerts[0]).toMatchObject({ id: alert.id, status: 'resolved' });
    expect(log.alerts[0]!.history.at(-1)).toMatchObject({ status: 'resolved', by: { kind: 'system' } });
    expect(core.current('system.status')?.notices.map((n) => n.code)).not.toContain('alert:bin_full.glass');

    // The history has the fill rising and falling, for the chart.
    const history = await core.call('monitoring.history', { sensor: 'bin.glass', from: Date.now() - 60_000 });
    expect(history.points.map((p) => p.value)).toEqual(expect.arrayContaining([100, 0]));
    const csv = await core.call('monitoring.exportCsv', { kind: 'alerts', from: Date.now() - 60_000 });
    expect(csv.rows).toBe(1);
    expect(csv.csv).toContain('bin_full.glass');
  });

  it('takes the machine out of service for a stop_sessions alert, and stamps a technician resolve with who it was', async () => {
    // A rule of our own that holds at once in the demo: the intake is empty.
    const kiosk = await demoKiosk({ rules: { intake_idle: { sensor: 'machine.item_present', comparison: '==', threshold: 0, effect: 'stop_sessions', severity: 'critical' } } });
    const { core } = kiosk;
    await eventually(() => core.current('system.status')?.reasons.some((r) => r.code === 'alert:intake_idle') ?? false, { what: 'the out-of-service reason' });
    expect(core.current('system.status')?.state).toBe('out_of_service');
    const [alert] = (await core.call('monitoring.alerts', { status: 'open' })).open;

    // From a screen, only inside maintenance mode.
    const refused = await core.dispatch({ type: 'command', id: 1, name: 'monitoring.acknowledge', payload: { id: alert!.id } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.call('maintenance.enter', { pin: '246810' })).toMatchObject({ ok: true, technicianName: 'Siti' });
    const acked = await core.call('monitoring.acknowledge', { id: alert!.id, note: 'looking' });
    expect(acked.history.at(-1)).toMatchObject({ status: 'acknowledged', by: { kind: 'technician', name: 'Siti', assignmentId: expect.any(Number) }, note: 'looking' });
    await expect(core.call('monitoring.resolve', { id: alert!.id, note: '  ' })).rejects.toThrow(/invalid_request/);
    const resolved = await core.call('monitoring.resolve', { id: alert!.id, note: 'sensor checked' });
    expect(resolved.history.at(-1)).toMatchObject({ status: 'resolved', by: { kind: 'technician', name: 'Siti' }, note: 'sensor checked' });
    await expect(core.call('monitoring.resolve', { id: alert!.id, note: 'twice' })).rejects.toThrow(/already resolved/);

    const summary = await core.call('monitoring.summary', {});
    expect(summary).toMatchObject({ items: { pet: 0, can: 0, glass: 0 }, rejectRate: 0 });
    expect(summary.uptimeMs).toBeGreaterThanOrEqual(0);
    const sensors = await core.call('monitoring.sensors', {});
    expect(sensors.sensors.find((s) => s.sensor === 'machine.link_up')).toMatchObject({ value: 1, unit: 'flag' });
  });
});
