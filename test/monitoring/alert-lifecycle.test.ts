/**
 * Alerts from readings to disk and back: raised by a rule, acknowledged and resolved by a technician (or by
 * the system when the condition clears), every transition stamped and announced only once on disk, open
 * alerts carried across a reopen without a second raise, and the log filtered.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertActor, AlertTransition } from '../../src/domain/events.js';
import { AlertBook } from '../../src/monitoring/alert-book.js';
import { monitoringConfig } from '../../src/monitoring/config.js';
import { Monitoring } from '../../src/monitoring/monitoring.js';
import { makeTempDir } from '../helpers/outbox.js';

const T0 = Date.UTC(2026, 10, 2, 3);
const tech: AlertActor = { kind: 'technician', name: 'Budi', assignmentId: 42 };
let dir: string;
let cleanup: () => Promise<void>;
let clock: number;
const opened: Monitoring[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-alerts-'));
  clock = T0;
});
afterEach(async () => {
  for (const m of opened.splice(0)) await m.close();
  await cleanup();
});

async function open(rules: object = {}, seen: AlertTransition[] = []): Promise<Monitoring> {
  const m = await Monitoring.open(dir, {
    settings: monitoringConfig.parse({ rules }),
    rules: { binFullPercent: 90, binFullConfigured: false },
    now: () => clock,
    onTransition: (t) => seen.push(t),
  });
  opened.push(m);
  return m;
}

async function reopen(m: Monitoring, rules: object = {}, seen: AlertTransition[] = []): Promise<Monitoring> {
  await m.close();
  opened.splice(opened.indexOf(m), 1);
  return open(rules, seen);
}

const at = (sensor: string, value: number) => [{ sensor, value, at: clock }];

describe('alert lifecycle', () => {
  it('raised → acknowledged → resolved by a technician with a note, each step stamped and durable, across a reopen', async () => {
    const seen: AlertTransition[] = [];
    let m = await open({}, seen);
    await m.observe(at('bin.glass', 95));
    const [raised] = m.alerts.open();
    expect(raised).toMatchObject({ rule: 'bin_full.glass', status: 'raised', value: 95, threshold: 90, thresholdSource: 'default', effect: { kind: 'stop_material', material: 'glass' } });
    expect(seen.map((t) => `${t.to} ${t.alert.rule}`)).toEqual(['raised bin_full.glass']);

    clock += 60_000;
    await m.acknowledge(raised!.id, tech, 'on my way');
    m = await reopen(m, {}, seen);
    expect(m.alerts.open()).toMatchObject([{ id: raised!.id, status: 'acknowledged' }]);
    // Still over the threshold after the restart: the open alert carries on, no second one.
    await m.observe(at('bin.glass', 96));
    expect(m.alerts.list().total).toBe(1);

    clock += 60_000;
    const resolved = await m.resolve(raised!.id, tech, 'bin emptied');
    expect(resolved.history).toEqual([
      { status: 'raised', at: T0, by: { kind: 'system' }, note: null },
      { status: 'acknowledged', at: T0 + 60_000, by: tech, note: 'on my way' },
      { status: 'resolved', at: T0 + 120_000, by: tech, note: 'bin emptied' },
    ]);
    expect(seen.map((t) => t.to)).toEqual(['raised', 'acknowledged', 'resolved']);
    expect(seen.at(-1)).toMatchObject({ by: tech, at: T0 + 120_000 });
    m = await reopen(m);
    expect(m.alerts.open()).toEqual([]);
    expect(m.alerts.get(raised!.id)?.history).toEqual(resolved.history);
    await expect(m.resolve(raised!.id, tech, 'again')).rejects.toThrow(/already resolved/);
  });

  it('is resolved by the system when the condition clears past the hysteresis, after its duration-held raise', async () => {
    const m = await open({ temperature_high: { threshold: 50, durationMs: 60_000, hysteresis: 3 } });
    await m.observe(at('machine.temperature', 55));
    clock += 59_999;
    await m.tick();
    expect(m.alerts.open()).toEqual([]);
    clock += 1;
    await m.tick();
    expect(m.alerts.open()).toMatchObject([{ rule: 'temperature_high', value: 55, thresholdSource: 'config' }]);
    await m.observe(at('machine.temperature', 48));
    expect(m.alerts.open()).toHaveLength(1);
    await m.observe(at('machine.temperature', 46.5));
    const [alert] = m.alerts.list().alerts;
    expect(alert).toMatchObject({ status: 'resolved' });
    expect(alert!.history.at(-1)).toMatchObject({ status: 'resolved', by: { kind: 'system' }, note: 'cleared: machine.temperature 46.50' });
  });

  it('raises again after a technician resolve if the fault is really still there', async () => {
    const m = await open();
    await m.observe(at('bin.can', 100));
    const [first] = m.alerts.open();
    await m.resolve(first!.id, tech, 'looked fine to me');
    await m.observe(at('bin.can', 100));
    expect(m.alerts.open()).toMatchObject([{ rule: 'bin_full.can' }]);
    expect(m.alerts.open()[0]!.id).not.toBe(first!.id);
  });

  it('resolves at start an alert whose rule is no longer configured', async () => {
    let m = await open();
    await m.observe(at('machine.door_open', 1));
    clock += 5 * 60_000;
    await m.tick();
    expect(m.alerts.open()).toMatchObject([{ rule: 'door_open_too_long' }]);
    m = await reopen(m, { door_open_too_long: { enabled: false } });
    expect(m.alerts.open()).toEqual([]);
    expect(m.alerts.list().alerts[0]!.history.at(-1)).toMatchObject({ by: { kind: 'system' }, note: 'the rule is no longer configured' });
  });

  it('records a server threshold as the one that raised the alert', async () => {
    const m = await open();
    m.setServerThreshold('bin_full', 70);
    await m.observe(at('bin.plastic', 75));
    expect(m.alerts.open()).toMatchObject([{ rule: 'bin_full.plastic', threshold: 70, thresholdSource: 'server' }]);
  });

  it('filters the log by status, rule, date and text, newest first', async () => {
    const m = await open();
    await m.observe(at('bin.glass', 95));
    clock += 1_000;
    await m.observe(at('bin.can', 95));
    clock += 1_000;
    await m.observe(at('disk.free_mb', 100));
    const can = m.alerts.openFor('bin_full.can')!;
    await m.resolve(can.id, tech, 'Emptied the CAN bin');
    expect(m.listAlerts({}).alerts.map((a) => a.rule)).toEqual(['disk_low', 'bin_full.can', 'bin_full.glass']);
    expect(m.listAlerts({ status: 'open' }).alerts.map((a) => a.rule)).toEqual(['disk_low', 'bin_full.glass']);
    expect(m.listAlerts({ status: 'resolved' }).alerts.map((a) => a.rule)).toEqual(['bin_full.can']);
    expect(m.listAlerts({ rule: 'bin_full' }).total).toBe(2);
    expect(m.listAlerts({ from: T0 + 1_000, to: T0 + 2_000 }).alerts.map((a) => a.rule)).toEqual(['bin_full.can']);
    expect(m.listAlerts({ text: 'emptied the can' }).alerts.map((a) => a.rule)).toEqual(['bin_full.can']);
    expect(m.listAlerts({ text: 'budi' }).total).toBe(1);
    expect(m.listAlerts({ limit: 1 })).toMatchObject({ total: 3, alerts: [{ rule: 'disk_low' }] });
  });
});

describe('AlertBook journal', () => {
  it('drops resolved alerts older than the retention when it rewrites itself, and keeps open ones', async () => {
    const file = path.join(dir, 'alerts.jnl');
    let now = T0;
    const rule = { id: 'r', sensor: 'machine.faults', comparison: '>' as const, threshold: 0, thresholdSource: 'default' as const, durationMs: 0, hysteresis: 0, severity: 'info' as const, effect: { kind: 'none' as const } };
    const book = await AlertBook.open(file, { retentionMs: 86_400_000, now: () => now });
    const note = 'x'.repeat(2_000);
    // Enough transitions to pass the 1 MB rewrite threshold.
    for (let i = 0; i < 300; i += 1) {
      const a = await book.raise({ ...rule, id: `r${i}` }, 1);
      await book.resolve(a.id, tech, note);
    }
    const open = await book.raise({ ...rule, id: 'still-open' }, 1);
    await book.close();
    now = T0 + 2 * 86_400_000;
    const again = await AlertBook.open(file, { retentionMs: 86_400_000, now: () => now });
    expect(again.list().alerts.map((a) => a.id)).toEqual([open.id]);
    expect((await readFile(file)).length).toBeLessThan(2_000);
    await again.close();
  });
});
