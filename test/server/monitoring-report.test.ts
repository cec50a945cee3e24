/**
 * Monitoring towards the MyRVM server: open alerts in the handshake and heartbeat `diagnostics` (the only
 * place the real server takes them without complaint), readings to the designed telemetry and metrics
 * endpoints where the server has them, and both families switched off at their first 404 where it does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, Reading } from '../../src/domain/events.js';
import type { LinkMonitoring } from '../../src/server/server-link.js';
import { eventually } from '../helpers/eventually.js';
import { cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';
import { makeAlert } from '../monitoring/channels/fixtures/alerts.js';

afterEach(cleanupServerSims);

const T = Date.UTC(2026, 0, 31, 3);

/** A monitoring feed the test fills by hand. */
function feed(alerts: Alert[] = []): LinkMonitoring & { alerts: Alert[]; pending: Reading[] } {
  const f = {
    alerts,
    pending: [] as Reading[],
    openAlerts: () => f.alerts,
    drainReadings: () => f.pending.splice(0),
  };
  return f;
}

describe('open alerts in the heartbeat and handshake', () => {
  it('lists the open alerts in `diagnostics`, with counts by severity, and keeps `status` as the server knows it', async () => {
    const sim = await startSim();
    const heat = makeAlert('heat-1', { rule: 'temperature_high', sensor: 'temperature', severity: 'critical', value: 61, threshold: 55, thresholdSource: 'config', effect: { kind: 'stop_sessions' } });
    const bin = makeAlert('bin-1', { status: 'acknowledged' });
    // Handed over least severe first: listed most severe first.
    const { link } = makeLink(sim, {}, { monitoring: feed([bin, heat]) });
    link.start();
    await eventually(() => sim.state.heartbeats.length === 1, { what: 'the first heartbeat' });

    const diagnostics = {
      open_alert_count: 2,
      alerts_by_severity: { critical: 1, warning: 1, info: 0 },
      open_alerts: [
        { id: 'heat-1', rule: 'temperature_high', sensor: 'temperature', severity: 'critical', status: 'raised', value: 61, threshold: 55, raised_at: new Date(T).toISOString() },
        { id: 'bin-1', rule: 'bin_full.glass', sensor: 'bin.glass', severity: 'warning', status: 'acknowledged', value: 92, threshold: 90, raised_at: new Date(T).toISOString() },
      ],
    };
    expect(sim.state.heartbeats[0]).toMatchObject({ status: 'online', diagnostics });
    // The handshake validates `diagnostics` only as an array (a JSON object is one) and stores it.
    expect(sim.state.handshakes[0]).toMatchObject({ diagnostics });
  });

  it('reports the alerts open at each beat, down to none', async () => {
    const sim = await startSim();
    const f = feed([makeAlert('bin-2')]);
    const { link } = makeLink(sim, {}, { monitoring: f });
    link.start();
    await eventually(() => sim.state.heartbeats.length === 1, { what: 'the first heartbeat' });
    f.alerts = [];
    await link.testConnection();
    expect(sim.state.heartbeats.at(-1)).toMatchObject({ diagnostics: { open_alert_count: 0, open_alerts: [] } });
  });

  it('sends no `diagnostics` at all while monitoring is not wired', async () => {
    const sim = await startSim();
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => sim.state.heartbeats.length === 1, { what: 'the first heartbeat' });
    expect(sim.state.heartbeats[0]).not.toHaveProperty('diagnostics');
    expect(sim.state.handshakes[0]).not.toHaveProperty('diagnostics');
  });
});

describe('telemetry to the server', () => {
  const readings: Reading[] = [
    { sensor: 'bin.glass', value: 40, at: T },
    { sensor: 'temperature', value: 31.5, at: T + 1_000 },
    { sensor: 'bin.glass', value: 46, at: T + 60_000 },
  ];

  it('sends readings to edge/telemetry and their summary to rvms/{id}/metrics on a server that has them', async () => {
    const sim = await startSim();
    const f = feed([makeAlert('bin-3')]);
    const { link } = makeLink(sim, {}, { monitoring: f });
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online' });
    f.pending.push(...readings);
    expect(await link.sendTelemetry()).toEqual({ readings: 3, telemetry: true, metrics: true });

    const telemetry = sim.state.telemetry[0]!;
    expect(telemetry).toMatchObject({
      hardware_id: sim.credentials.serial_number,
      sensor_data: [
        { sensor: 'bin.glass', value: 40, at: '2026-01-31T03:00:00.000Z' },
        { sensor: 'temperature', value: 31.5, at: '2026-01-31T03:00:01.000Z' },
        { sensor: 'bin.glass', value: 46, at: '2026-01-31T03:01:00.000Z' },
      ],
      open_alert_count: 1,
    });
    expect(telemetry.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(telemetry.device_stats).toHaveProperty('cpu_usage_percent');

    expect(sim.state.metrics.at(-1)).toMatchObject({
      metrics: { 'bin.glass': { last: 46, min: 40, max: 46, avg: 43, count: 2 }, temperature: { last: 31.5, min: 31.5, max: 31.5, avg: 31.5, count: 1 } },
      diagnostics: { open_alert_count: 1, open_alerts: [{ id: 'bin-3' }] },
    });
    expect(link.designed.state()).toMatchObject({ telemetry: 'available', metrics: 'available' });
    // Nothing new since: no telemetry, but the metrics (health, items) still go.
    const metricsBefore = sim.state.metrics.length;
    expect(await link.sendTelemetry()).toEqual({ readings: 0, telemetry: false, metrics: true });
    expect(sim.state.telemetry).toHaveLength(1);
    expect(sim.state.metrics).toHaveLength(metricsBefore + 1);
  });

  it('sends on its own every telemetryEveryMs once the handshake succeeded', async () => {
    const sim = await startSim();
    const f = feed();
    f.pending.push(...readings);
    const { link } = makeLink(sim, {}, { monitoring: f, telemetryEveryMs: 50 });
    link.start();
    await eventually(() => sim.state.telemetry.length === 1 && sim.state.metrics.length >= 2, { what: 'the periodic telemetry' });
  });

  it("on today's MyRVM-Server switches both off at their first 404 and stops calling them", async () => {
    const sim = await startSim({ designed: false });
    const f = feed();
    const { link } = makeLink(sim, {}, { monitoring: f });
    link.start();
    await eventually(() => link.state.get().link === 'online', { what: 'the link online' });
    // Metrics are probed on their own right after the handshake (nothing to read yet): switched off then.
    await eventually(() => link.designed.state().metrics === 'absent', { what: 'the metrics probe' });
    for (let round = 0; round < 3; round += 1) {
      f.pending.push(...readings);
      expect(await link.sendTelemetry()).toEqual({ readings: 3, telemetry: false, metrics: false });
    }
    expect(sim.state.hitsOn('/api/v1/edge/telemetry')).toBe(1);
    expect(sim.state.hitsOn(`/api/v2/rvms/${sim.machineId}/metrics`)).toBe(1);
    expect(link.designed.state()).toMatchObject({ telemetry: 'absent', metrics: 'absent' });
    // The heartbeat is unaffected: alerts still ride in it.
    expect(link.state.get().link).toBe('online');
  });
});
