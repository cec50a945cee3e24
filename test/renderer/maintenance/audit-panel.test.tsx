import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditPanel } from '../../../renderer/src/screens/maintenance/AuditPanel.js';
import { tables } from '../../../renderer/src/i18n/tables.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { auditEntry, typeInto } from './dashboard-fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00 WIB
const DAY = 24 * 3_600_000;

/** An action shows in the screen's words once `audit.action.<code>` is in the tables, as its code until then. */
const actionName = (code: string) => tables.id[`maintenance.audit.action.${code}`] ?? code;

const entries = [
  auditEntry({ id: 'e3', at: NOW - 60_000, action: 'bin_emptied', detail: { bin: 'glass' }, result: 'ok', reported: true }),
  auditEntry({ id: 'e2', at: NOW - 120_000, action: 'restart_app', detail: { permission: 'reboot_machine' }, result: 'refused', reported: false }),
  auditEntry({ id: 'e1', at: NOW - 180_000, action: 'alert_resolved', technicianName: 'Sari', assignmentId: null, detail: { id: 'a1', note: '=HYPERLINK("x")' } }),
];

describe('audit panel', () => {
  let view: Mounted | null = null;
  let blobs: Blob[];

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    kioskStore.getState().setClock({ ...kioskStore.getState().clock, timezone: 'Asia/Jakarta' });
    blobs = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test/audit';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  const rows = () => [...view!.container.querySelectorAll('[data-testid="audit-table"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));

  it("lists today's actions (from midnight in the machine zone) with who, result and whether the server has them", async () => {
    const fake = fakeCore({ 'technician.audit': () => ({ entries }) });
    view = await mount(<AuditPanel />);
    await settle();
    expect(fake.callsOf('technician.audit')).toEqual([{ from: Date.parse('2026-01-30T17:00:00Z'), limit: 500 }]);
    expect(actionName('bin_emptied')).toBe('Tempat sampah dikosongkan'); // named in words, not the code
    expect(rows()).toEqual([
      ['11:59:00', 'Budi #7', actionName('bin_emptied'), 'berhasil', 'Ya', 'bin=glass'],
      ['11:58:00', 'Budi #7', actionName('restart_app'), 'ditolak', 'Tidak', 'permission=reboot_machine'],
      ['11:57:00', 'Sari', actionName('alert_resolved'), 'berhasil', 'Ya', 'id=a1, note==HYPERLINK("x")'],
    ]);
  });

  it('filters by action on screen and by date range in the core', async () => {
    const fake = fakeCore({ 'technician.audit': () => ({ entries }) });
    view = await mount(<AuditPanel />);
    await settle();
    await act(async () => typeInto(view!.byTestId('audit-action'), 'restart_app'));
    expect(rows().map((r) => r[2])).toEqual([actionName('restart_app')]);
    await tap(view.byTestId('audit-span-7d'));
    await settle();
    expect(fake.callsOf('technician.audit').at(-1)).toEqual({ from: NOW - 7 * DAY, limit: 500 });
    await tap(view.byTestId('audit-span-30d'));
    await settle();
    expect(fake.callsOf('technician.audit').at(-1)).toEqual({ from: NOW - 30 * DAY, limit: 500 });
  });

  it('downloads the filtered list as CSV built in the browser, a note unable to become a formula', async () => {
    fakeCore({ 'technician.audit': () => ({ entries }) });
    view = await mount(<AuditPanel />);
    await settle();
    await act(async () => typeInto(view!.byTestId('audit-action'), 'alert_resolved'));
    await tap(view.byTestId('audit-csv'));
    const link = view.byTestId('audit-download') as HTMLAnchorElement;
    expect(link.getAttribute('download')).toBe('audit-2026-01-31.csv');
    expect(await blobs[0]!.text()).toBe(
      'time,technician,assignment_id,action,result,reported,detail,id\r\n' + `2026-01-31T04:57:00.000Z,Sari,,alert_resolved,ok,true,"id=a1, note==HYPERLINK(""x"")",e1\r\n`,
    );
  });

  it('guards a cell that starts like a formula', async () => {
    fakeCore({ 'technician.audit': () => ({ entries: [auditEntry({ technicianName: '=cmd', detail: {} })] }) });
    view = await mount(<AuditPanel />);
    await settle();
    await tap(view.byTestId('audit-csv'));
    expect((await blobs[0]!.text()).split('\r\n')[1]).toBe(`2026-01-31T04:30:00.000Z,'=cmd,7,tare,ok,true,,e1`);
  });

  it('says when the core refuses the log', async () => {
    fakeCore({
      'technician.audit': () => {
        throw new Error('[forbidden] technician.audit: technician only');
      },
    });
    view = await mount(<AuditPanel />);
    await settle();
    expect(view.text('audit-result')).toBe('Tidak ada jawaban dari inti kios (Hanya untuk teknisi)');
    expect((view.byTestId('audit-csv') as HTMLButtonElement).disabled).toBe(true);
  });
});
