import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MachinePanel } from '../../../renderer/src/screens/maintenance/MachinePanel.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { systemInfo } from './dashboard-fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z');

function signIn(permissions: Record<string, boolean> | null): void {
  kioskStore.getState().setMaintenance({ active: true, technicianName: 'Budi', lockedUntil: null, remainingAttempts: null, autoExitAt: NOW + 600_000, permissions });
}

function core() {
  return fakeCore({
    'technician.systemInfo': () => systemInfo(),
    'technician.binEmptied': () => ({ ok: true }),
    'technician.tare': () => ({ ok: true, weightGrams: 0 }),
    'technician.restartApp': () => ({ ok: true }),
  });
}

describe('machine panel', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    signIn(null);
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('shows the versions and every network address', async () => {
    core();
    view = await mount(<MachinePanel />);
    await settle();
    const text = view.text('panel-machine');
    expect(text).toContain('0.1.0 · inti 0.1.0');
    expect(text).toContain('Node 22.11.0 · linux/arm64');
    expect(text).toContain('/var/lib/rvm');
    expect([...view.byTestId('machine-addresses')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['eth0: 192.168.1.20', 'wg0: 10.8.0.5']);
  });

  it('asks before recording a bin emptied, and sends nothing when cancelled', async () => {
    const fake = core();
    view = await mount(<MachinePanel />);
    await tap(view.byTestId('machine-bin-glass'));
    expect(view.text('machine-confirm')).toContain('Wadah kaca sudah benar-benar dikosongkan?');
    await tap(view.byTestId('machine-confirm-no'));
    expect(view.byTestId('machine-confirm')).toBeNull();
    expect(fake.callsOf('technician.binEmptied')).toEqual([]);

    await tap(view.byTestId('machine-bin-glass'));
    await tap(view.byTestId('machine-confirm-yes'));
    await settle();
    expect(fake.callsOf('technician.binEmptied')).toEqual([{ bin: 'glass' }]);
    expect(view.text('machine-result')).toBe('Wadah kaca tercatat kosong');
  });

  it('tares at once and restarts only after a confirmation', async () => {
    const fake = core();
    view = await mount(<MachinePanel />);
    await tap(view.byTestId('machine-tare'));
    await settle();
    expect(fake.callsOf('technician.tare')).toEqual([{}]);
    expect(view.text('machine-result')).toBe('Timbangan dinolkan · terbaca 0 g');
    await tap(view.byTestId('machine-restart'));
    expect(fake.callsOf('technician.restartApp')).toEqual([]);
    await tap(view.byTestId('machine-confirm-yes'));
    await settle();
    expect(fake.callsOf('technician.restartApp')).toEqual([{}]);
    expect(view.text('machine-result')).toBe('Aplikasi dimulai ulang…');
  });

  it('hides the actions the server did not grant, as the core would refuse them', async () => {
    // MyRVM-Server's reply today: no test_hardware → no bin emptied, no tare; reboot_machine never named → restart stays.
    signIn({ view_logs: true, view_status: true, toggle_theme: true });
    core();
    view = await mount(<MachinePanel />);
    expect(view.byTestId('machine-bin-glass')).toBeNull();
    expect(view.byTestId('machine-tare')).toBeNull();
    expect(view.byTestId('machine-restart')).not.toBeNull();
    expect(view.text('machine-denied')).toBe('Beberapa tindakan tidak diizinkan untuk penugasan ini');
  });

  it('hides restart only when the server says reboot_machine: false', async () => {
    signIn({ test_hardware: true, reboot_machine: false });
    core();
    view = await mount(<MachinePanel />);
    expect(view.byTestId('machine-bin-plastic')).not.toBeNull();
    expect(view.byTestId('machine-tare')).not.toBeNull();
    expect(view.byTestId('machine-restart')).toBeNull();
  });

  it('allows everything when no map was sent (offline entry)', async () => {
    core();
    view = await mount(<MachinePanel />);
    for (const id of ['machine-bin-plastic', 'machine-bin-can', 'machine-bin-glass', 'machine-tare', 'machine-restart']) expect(view.byTestId(id)).not.toBeNull();
    expect(view.byTestId('machine-denied')).toBeNull();
  });

  it('hides the hardware actions when the server sent an empty map (it granted nothing), as the core refuses them', async () => {
    signIn({});
    core();
    view = await mount(<MachinePanel />);
    expect(view.byTestId('machine-tare')).toBeNull();
    expect(view.byTestId('machine-bin-glass')).toBeNull();
    expect(view.byTestId('machine-restart')).not.toBeNull();
  });
});
