/**
 * The outbox panel's hold switch, push history and day-range pickers: the requests sent, the banner, a
 * refused push in the screen's language, and day bounds in the machine's zone at a Jakarta midnight edge.
 */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplyOf } from '../../../src/contract/index.js';
import { OutboxPanel } from '../../../renderer/src/screens/maintenance/OutboxPanel.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { typeInto } from './dashboard-fixtures.js';
import { outboxState, pushReply } from './fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00:00 WIB
const noHold = { on: false, reason: null, since: null };

function jakarta(offsetMs = 0): void {
  kioskStore.getState().setClock({ ...kioskStore.getState().clock, offsetMs, timezone: 'Asia/Jakarta', abbreviation: 'WIB' });
}

const rows = (view: Mounted, id: string) =>
  [...view.container.querySelectorAll(`[data-testid="${id}"] tbody tr`)].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));

describe('outbox hold, history and day ranges', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    jakarta();
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('holds with the reason typed, shows the banner from outbox.state.hold, and resumes', async () => {
    kioskStore.getState().setOutbox(outboxState({ hold: noHold }));
    const core = fakeCore({
      'outbox.hold': ({ on, reason }) => outboxState({ hold: on ? { on, reason: reason ?? null, since: NOW - 60_000 } : noHold }),
    });
    view = await mount(<OutboxPanel />);
    expect(view.byTestId('outbox-hold-banner')).toBeNull();
    await act(async () => typeInto(view!.byTestId('outbox-hold-reason'), '  perawatan server  '));
    await tap(view.byTestId('outbox-hold'));
    await settle();
    expect(core.callsOf('outbox.hold')).toEqual([{ on: true, reason: 'perawatan server' }]);
    expect(view.text('outbox-hold-banner')).toBe('Pengiriman ditahan sejak 11:59:00: perawatan server');
    expect(view.text('outbox-hold')).toBe('Lanjutkan pengiriman');
    expect(view.byTestId('panel-outbox')?.dataset.tone).toBe('warn');

    await tap(view.byTestId('outbox-hold'));
    await settle();
    expect(core.callsOf('outbox.hold')).toEqual([{ on: true, reason: 'perawatan server' }, { on: false }]);
    expect(view.byTestId('outbox-hold-banner')).toBeNull();
    expect(view.text('outbox-hold')).toBe('Tahan pengiriman');
  });

  it('holds without a reason when none is typed, and says so in the banner', async () => {
    kioskStore.getState().setOutbox(outboxState({ hold: noHold }));
    const core = fakeCore({ 'outbox.hold': () => outboxState({ hold: { on: true, reason: null, since: NOW } }) });
    view = await mount(<OutboxPanel />);
    await tap(view.byTestId('outbox-hold'));
    await settle();
    expect(core.callsOf('outbox.hold')).toEqual([{ on: true }]);
    expect(view.text('outbox-hold-banner')).toBe('Pengiriman ditahan sejak 12:00:00: tanpa alasan');
  });

  it('shows a push refused because of the hold as that refusal, translated', async () => {
    kioskStore.getState().setOutbox(outboxState({ hold: { on: true, reason: 'x', since: NOW } }));
    fakeCore({
      'outbox.push': () => {
        throw new Error('[outbox_held] outbox.push: the outbox is on hold');
      },
      'outbox.history': () => ({ entries: [] }),
    });
    view = await mount(<OutboxPanel />);
    await tap(view.byTestId('outbox-push-all'));
    await settle();
    expect(view.text('outbox-result')).toBe('Pengiriman sedang ditahan: lepaskan penahanan dulu');
    await act(async () => kioskStore.getState().setLanguage('en'));
    await settle();
    await tap(view.byTestId('outbox-push-all'));
    await settle();
    expect(view.text('outbox-result')).toBe('Sending is on hold: release the hold first');
  });

  it('computes day bounds in Asia/Jakarta at its midnight, on the synced clock, whatever the process zone', async () => {
    // Device clock 23:59:30 WIB on 31 January; the server says it is 60 s slow: the machine's today is 1 February.
    vi.setSystemTime(Date.parse('2026-01-31T16:59:30Z'));
    jakarta(60_000);
    kioskStore.getState().setOutbox(outboxState());
    const core = fakeCore({
      'outbox.preview': () => ({ total: 0, records: [] }),
      'outbox.push': () => pushReply(outboxState(), { attempted: 1, pushed: 1, failed: 0 }),
    });
    view = await mount(<OutboxPanel />);
    expect((view.byTestId('outbox-range-from') as HTMLInputElement).value).toBe('2026-02-01');
    await tap(view.byTestId('outbox-range-preview'));
    await settle();
    // 1 February WIB = [31 Jan 17:00Z, 1 Feb 17:00Z), as epoch ms.
    expect(core.callsOf('outbox.preview')).toEqual([{ from: Date.parse('2026-01-31T17:00:00Z'), to: Date.parse('2026-02-01T17:00:00Z'), limit: 20 }]);
    expect(view.text('outbox-preview-table')).toBe('Tidak ada catatan yang tertunda');

    await act(async () => typeInto(view!.byTestId('outbox-range-from'), '2026-01-30'));
    await act(async () => typeInto(view!.byTestId('outbox-range-to'), '2026-01-31'));
    await tap(view.byTestId('outbox-range-push'));
    await settle();
    expect(core.callsOf('outbox.push')).toEqual([{ from: Date.parse('2026-01-29T17:00:00Z'), to: Date.parse('2026-01-31T17:00:00Z') }]);
    // The open preview is refreshed for the same days it showed.
    expect(core.callsOf('outbox.preview')).toHaveLength(2);
    expect(core.callsOf('outbox.preview')[1]).toEqual(core.callsOf('outbox.preview')[0]);
    expect(view.text('outbox-result')).toBe('1 dari 1 terkirim, 0 gagal');
  });

  it('refuses a range whose first day is after its last', async () => {
    kioskStore.getState().setOutbox(outboxState());
    const core = fakeCore();
    view = await mount(<OutboxPanel />);
    await act(async () => typeInto(view!.byTestId('outbox-range-from'), '2026-02-02'));
    expect(view.text('outbox-range-invalid')).toBe('Hari awal tidak boleh sesudah hari akhir');
    expect((view.byTestId('outbox-range-push') as HTMLButtonElement).disabled).toBe(true);
    await tap(view.byTestId('outbox-range-push'));
    expect(core.calls).toEqual([]);
  });

  it('lists the push history in the machine zone and reads it again after a push', async () => {
    kioskStore.getState().setOutbox(outboxState());
    let entries: ReplyOf<'outbox.history'>['entries'] = [
      { at: NOW - 60_000, trigger: 'manual', result: 'held', attempted: 0, pushed: 0, failed: 0, from: Date.parse('2026-01-30T17:00:00Z'), to: Date.parse('2026-01-31T17:00:00Z'), message: null },
      { at: NOW - 120_000, trigger: 'automatic', result: 'ok', attempted: 3, pushed: 2, failed: 1, from: null, to: null, message: null },
    ];
    const core = fakeCore({
      'outbox.history': () => ({ entries }),
      'outbox.push': () => pushReply(outboxState(), { attempted: 0, pushed: 0, failed: 0 }),
    });
    view = await mount(<OutboxPanel />);
    expect(core.callsOf('outbox.history')).toEqual([]); // only on request
    await tap(view.byTestId('outbox-history'));
    await settle();
    expect(core.callsOf('outbox.history')).toEqual([{ limit: 20 }]);
    expect(rows(view, 'outbox-history-table')).toEqual([
      ['11:59:00', 'manual', '0 / 0 / 0', 'ditolak: pengiriman ditahan', '31/01/2026'],
      ['11:58:00', 'otomatis', '3 / 2 / 1', 'berhasil', 'semua'],
    ]);
    // Two whole WIB days, then a bound that is not a midnight (shown as times).
    entries = [
      { at: NOW, trigger: 'manual', result: 'retryable', attempted: 1, pushed: 0, failed: 0, from: Date.parse('2026-01-28T17:00:00Z'), to: Date.parse('2026-01-30T17:00:00Z'), message: 'E503' },
      { at: NOW, trigger: 'manual', result: 'ok', attempted: 0, pushed: 0, failed: 0, from: NOW - 3_600_000, to: null, message: null },
      ...entries,
    ];
    await tap(view.byTestId('outbox-push-all'));
    await settle();
    expect(core.callsOf('outbox.history')).toHaveLength(2);
    expect(rows(view, 'outbox-history-table').slice(0, 2)).toEqual([
      ['12:00:00', 'manual', '1 / 0 / 0', 'akan dicoba lagi: E503', '29/01/2026 – 30/01/2026'],
      ['12:00:00', 'manual', '0 / 0 / 0', 'berhasil', '11:00:00 – …'],
    ]);
  });
});
