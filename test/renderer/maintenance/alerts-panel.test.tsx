import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestOf } from '../../../src/contract/index.js';
import { ALERTS_REFRESH_MS, AlertsPanel } from '../../../renderer/src/screens/maintenance/AlertsPanel.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { alert, typeInto, type Alert } from './dashboard-fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z');

const raised = alert({ id: 'a1', severity: 'warning', rule: 'bin_full.glass' });
const acked = alert({
  id: 'a2',
  rule: 'temperature.high',
  severity: 'critical',
  status: 'acknowledged',
  history: [
    { status: 'raised', at: NOW - 3_600_000, by: { kind: 'system' }, note: null },
    { status: 'acknowledged', at: NOW - 600_000, by: { kind: 'technician', name: 'Sari', assignmentId: 42 }, note: 'kipas diganti besok' },
  ],
});
const resolved = alert({ id: 'a3', rule: 'door.open', severity: 'info', status: 'resolved' });

/** A core whose log filters by status the way the real one does, so the UI's filter reaches it. */
function core() {
  return fakeCore({
    'monitoring.alerts': (r: RequestOf<'monitoring.alerts'>) => {
      const all: Alert[] = [raised, acked, resolved];
      const alerts = all.filter((a) => !r.status || (r.status === 'open' ? a.status !== 'resolved' : a.status === r.status));
      return { open: [raised, acked], total: alerts.length, alerts };
    },
    'monitoring.acknowledge': ({ id }) => ({ ...raised, id, status: 'acknowledged' }),
    'monitoring.resolve': ({ id }) => ({ ...raised, id, status: 'resolved' }),
  });
}

describe('alerts panel', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    kioskStore.getState().setClock({ ...kioskStore.getState().clock, timezone: 'Asia/Jakarta' });
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('shows open alerts with severity, rule, since when, and who acknowledged with their note', async () => {
    core();
    view = await mount(<AlertsPanel />);
    await settle();
    const open = view.text('alerts-open');
    expect(view.text('alert-a1')).toContain('Waspada');
    expect(view.text('alert-a1')).toContain('bin_full.glass');
    expect(view.text('alert-a1')).toContain('sejak 11:00:00');
    expect(view.text('alert-a1')).toContain('menolak Kaca');
    expect(view.text('alert-a2-history')).toContain('Diakui 11:50:00 oleh Sari (penugasan 42)');
    expect(view.text('alert-a2-history')).toContain('kipas diganti besok');
    expect(open).not.toContain('door.open');
    expect(view.text('alerts-log')).toContain('door.open');
    // Only a raised alert can be acknowledged; both open ones can be resolved.
    expect(view.byTestId('alert-a1-ack')).not.toBeNull();
    expect(view.byTestId('alert-a2-ack')).toBeNull();
    expect(view.byTestId('alert-a2-resolve')).not.toBeNull();
  });

  it('acknowledges without a note, and with one when given', async () => {
    const fake = core();
    view = await mount(<AlertsPanel />);
    await settle();
    await tap(view.byTestId('alert-a1-ack'));
    await tap(view.byTestId('alert-note-save'));
    await settle();
    expect(fake.callsOf('monitoring.acknowledge')).toEqual([{ id: 'a1' }]);
    expect(view.text('alerts-result')).toBe('Peringatan diakui');

    await tap(view.byTestId('alert-a1-ack'));
    await act(async () => typeInto(view!.byTestId('alert-note'), '  sedang dicek  '));
    await tap(view.byTestId('alert-note-save'));
    await settle();
    expect(fake.callsOf('monitoring.acknowledge')[1]).toEqual({ id: 'a1', note: 'sedang dicek' });
  });

  it('refuses a resolve without a note in the screen, then sends the note', async () => {
    const fake = core();
    view = await mount(<AlertsPanel />);
    await settle();
    const loads = fake.callsOf('monitoring.alerts').length;
    await tap(view.byTestId('alert-a2-resolve'));
    await act(async () => typeInto(view!.byTestId('alert-note'), '   '));
    await tap(view.byTestId('alert-note-save'));
    await settle();
    expect(fake.callsOf('monitoring.resolve')).toEqual([]);
    expect(view.text('alert-note-missing')).toBe('Tulis catatan sebelum menyelesaikan peringatan');

    await act(async () => typeInto(view!.byTestId('alert-note'), 'kipas sudah diganti'));
    expect(view.byTestId('alert-note-missing')).toBeNull();
    await tap(view.byTestId('alert-note-save'));
    await settle();
    expect(fake.callsOf('monitoring.resolve')).toEqual([{ id: 'a2', note: 'kipas sudah diganti' }]);
    expect(view.text('alerts-result')).toBe('Peringatan diselesaikan');
    expect(view.byTestId('alert-note-form')).toBeNull();
    expect(fake.callsOf('monitoring.alerts').length).toBe(loads + 1); // the log is read again after the change
  });

  it('filters by status in the core, by severity on screen, and searches by text', async () => {
    const fake = core();
    view = await mount(<AlertsPanel />);
    await settle();
    await tap(view.byTestId('alerts-status-resolved'));
    await settle();
    expect(fake.callsOf('monitoring.alerts').at(-1)).toEqual({ limit: 100, status: 'resolved' });
    expect(view.text('alerts-log')).toContain('door.open');
    expect(view.text('alerts-log')).not.toContain('bin_full.glass');

    await tap(view.byTestId('alerts-status-all'));
    await settle();
    await tap(view.byTestId('alerts-severity-critical'));
    expect(view.byTestId('alert-a1')).toBeNull();
    expect(view.byTestId('alert-a2')).not.toBeNull();
    expect(view.byTestId('log-a3')).toBeNull();
    expect(view.text('alerts-open')).not.toContain('bin_full');

    await act(async () => typeInto(view!.byTestId('alerts-search'), ' kipas '));
    await tap(view.byTestId('alerts-search-go'));
    await settle();
    expect(fake.callsOf('monitoring.alerts').at(-1)).toEqual({ limit: 100, text: 'kipas' });
  });

  it('reads the alerts again when the core pushes a change to the open alerts', async () => {
    const fake = core();
    view = await mount(<AlertsPanel />);
    await settle();
    expect(fake.callsOf('monitoring.alerts')).toHaveLength(1);
    await act(async () => kioskStore.getState().setOpenAlerts({ open: [raised] }));
    await settle();
    expect(fake.callsOf('monitoring.alerts')).toHaveLength(2);
  });

  it('reads the alerts again on a slow timer while shown, and stops when closed', async () => {
    const fake = core();
    view = await mount(<AlertsPanel />);
    await settle();
    expect(fake.callsOf('monitoring.alerts')).toHaveLength(1);
    await act(async () => vi.advanceTimersByTime(ALERTS_REFRESH_MS - 1));
    expect(fake.callsOf('monitoring.alerts')).toHaveLength(1);
    await act(async () => vi.advanceTimersByTime(1));
    await settle();
    expect(fake.callsOf('monitoring.alerts')).toHaveLength(2);
    view.unmount();
    view = null;
    vi.advanceTimersByTime(ALERTS_REFRESH_MS * 3);
    expect(fake.callsOf('monitoring.alerts')).toHaveLength(2);
  });

  it('filters by kind (rule prefix) and date raised in the core', async () => {
    const fake = core();
    view = await mount(<AlertsPanel />);
    await settle();
    await act(async () => typeInto(view!.byTestId('alerts-kind'), 'bin_full'));
    await settle();
    expect(fake.callsOf('monitoring.alerts').at(-1)).toEqual({ limit: 100, rule: 'bin_full' });
    // A kind only a custom rule raises still shows up, from the log itself.
    expect([...view.byTestId('alerts-kind')!.querySelectorAll('option')].map((o) => o.value)).toContain('door');
    expect(view.byTestId('alerts-kind')!.textContent).toContain('Wadah penuh');

    await tap(view.byTestId('alerts-span-7d'));
    expect(fake.callsOf('monitoring.alerts').at(-1)).toEqual({ limit: 100, rule: 'bin_full', from: NOW - 7 * 86_400_000 });
    await tap(view.byTestId('alerts-span-today'));
    // Midnight in Jakarta (UTC+7) on 31 January.
    expect(fake.callsOf('monitoring.alerts').at(-1)).toMatchObject({ from: Date.parse('2026-01-30T17:00:00Z') });
  });

  it("shows each transition's webhook delivery: sent, or failed with the receiver's error", async () => {
    const delivered = alert({
      id: 'a9',
      history: [
        { status: 'raised', at: NOW - 3_600_000, by: { kind: 'system' }, note: null, delivery: { webhook: { status: 'sent', at: NOW - 3_599_000 } } },
        { status: 'acknowledged', at: NOW - 600_000, by: { kind: 'technician', name: 'Sari', assignmentId: 42 }, note: null, delivery: { webhook: { status: 'failed', at: NOW - 590_000, error: 'HTTP 503' } } },
        { status: 'resolved', at: NOW - 60_000, by: { kind: 'system' }, note: null },
      ],
    });
    fakeCore({ 'monitoring.alerts': () => ({ open: [], total: 1, alerts: [delivered] }) });
    view = await mount(<AlertsPanel />);
    await settle();
    expect(view.text('log-a9-delivery-0')).toBe('webhook: terkirim 11:00:01');
    expect(view.text('log-a9-delivery-1')).toBe('webhook: gagal 11:50:10 (HTTP 503)');
    expect(view.byTestId('log-a9-delivery-2')).toBeNull();
  });
});
