/** Monitoring and technician replies for the dashboard panels, with the fields a test cares about overridable. */
import type { ReplyOf } from '../../../src/contract/index.js';

export type Alert = ReplyOf<'monitoring.alerts'>['alerts'][number];
export type AuditEntry = ReplyOf<'technician.audit'>['entries'][number];

export function alert(overrides: Partial<Alert> = {}): Alert {
  const raisedAt = overrides.raisedAt ?? Date.parse('2026-01-31T04:00:00Z');
  return {
    id: 'a1',
    rule: 'bin_full.glass',
    sensor: 'bin.glass',
    severity: 'warning',
    effect: { kind: 'stop_material', material: 'glass' },
    status: 'raised',
    value: 95,
    threshold: 90,
    thresholdSource: 'server',
    raisedAt,
    updatedAt: raisedAt,
    history: [{ status: 'raised', at: raisedAt, by: { kind: 'system' }, note: null }],
    ...overrides,
  };
}

export function summary(overrides: Partial<ReplyOf<'monitoring.summary'>> = {}): ReplyOf<'monitoring.summary'> {
  return {
    day: '2026-01-31',
    since: Date.parse('2026-01-30T17:00:00Z'),
    items: { pet: 12, can: 5, glass: 3 },
    accepted: 20,
    rejected: 4,
    points: 230,
    rejectRate: 4 / 24,
    openAlerts: { total: 2, critical: 1, warning: 1, info: 0 },
    uptimeMs: 3_723_000,
    systemUptimeMs: 90_061_000,
    startedAt: Date.parse('2026-01-31T03:58:00Z'),
    ...overrides,
  };
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'e1',
    at: Date.parse('2026-01-31T04:30:00Z'),
    technicianName: 'Budi',
    assignmentId: 7,
    action: 'tare',
    detail: {},
    result: 'ok',
    reported: true,
    ...overrides,
  };
}

export function systemInfo(overrides: Partial<ReplyOf<'technician.systemInfo'>> = {}): ReplyOf<'technician.systemInfo'> {
  return {
    version: '0.1.0',
    coreVersion: '0.1.0',
    node: '22.11.0',
    platform: 'linux',
    arch: 'arm64',
    uptimeSec: 3_600,
    dataDir: '/var/lib/rvm',
    addresses: [
      { iface: 'eth0', address: '192.168.1.20', family: 'IPv4' },
      { iface: 'wg0', address: '10.8.0.5', family: 'IPv4' },
    ],
    ...overrides,
  };
}

/** Sets an input's or select's value the way a person would (React listens for the native input/change event). */
export function typeInto(el: HTMLElement | null, value: string): void {
  if (!el) throw new Error('nothing to type into');
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}
