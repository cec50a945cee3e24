import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboxPanel } from '../../../renderer/src/screens/maintenance/OutboxPanel.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { outboxState, pushReply } from './fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

describe('outbox panel', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('pushes "today" from midnight in the machine zone on the server-synced clock', async () => {
    // Device clock: 23:59:30 WIT on 31 January. The server says the device is 60 s slow, so on the
    // machine's (synced) clock it is already 00:00:30 on 1 February: today starts at that midnight.
    vi.setSystemTime(Date.parse('2026-01-31T14:59:30Z'));
    kioskStore.getState().setClock({ offsetMs: 60_000, timezone: 'Asia/Jayapura', abbreviation: 'WIT', synced: true, source: 'server', driftAlarm: false, sync: { zoneSource: 'handshake', zoneChanges: 0, lastZoneChangeAt: null, lastSampleAt: null } });
    kioskStore.getState().setOutbox(outboxState());
    const core = fakeCore({ 'outbox.push': () => pushReply(outboxState({ pending: 1 }), { attempted: 2, pushed: 2, failed: 0 }) });
    view = await mount(<OutboxPanel />);

    await tap(view.byTestId('outbox-push-today'));
    await settle();
    expect(core.callsOf('outbox.push')).toEqual([{ from: '2026-02-01T00:00:00+09:00' }]);
    expect(view.text('outbox-result')).toBe('2 dari 2 terkirim, 0 gagal');
  });

  it('pushes everything with an empty range and says when delivery must be retried', async () => {
    vi.setSystemTime(Date.parse('2026-01-31T05:00:00Z'));
    kioskStore.getState().setOutbox(outboxState());
    const core = fakeCore({
      'outbox.push': () => ({ ...pushReply(outboxState(), { attempted: 3, pushed: 0, failed: 0 }), outcome: 'retryable', message: 'server unreachable' }),
    });
    view = await mount(<OutboxPanel />);
    await tap(view.byTestId('outbox-push-all'));
    await settle();
    expect(core.callsOf('outbox.push')).toEqual([{}]);
    expect(view.text('outbox-result')).toBe('0 dari 3 terkirim, 0 gagal · Belum terkirim, akan dicoba lagi · server unreachable');
  });

  it('previews what is owed: short id, material, points, time in the machine zone, status', async () => {
    vi.setSystemTime(Date.parse('2026-01-31T05:00:00Z'));
    kioskStore.getState().setOutbox(outboxState({ pending: 1, failed: 1 }));
    const record = { sessionId: 's1', weightGrams: 25, confidence: 0.9, recordedAt: '2026-01-31T04:10:00.000Z', hasImage: false };
    const core = fakeCore({
      'outbox.preview': () => ({
        total: 2,
        records: [
          { ...record, id: 'a1b2c3d4-1111-4111-8111-111111111111', material: 'pet', points: 10, at: '2026-01-31T04:10:00.000Z', status: 'pending', error: null },
          { ...record, id: 'e5f6a7b8-2222-4222-8222-222222222222', material: 'can', points: 12, at: '2026-01-31T04:20:05.000Z', status: 'failed', error: 'invalid material' },
        ],
      }),
    });
    view = await mount(<OutboxPanel />);
    await tap(view.byTestId('outbox-preview'));
    await settle();
    expect(core.callsOf('outbox.preview')).toEqual([{ limit: 20 }]);
    const rows = [...view.container.querySelectorAll('[data-testid="outbox-preview-table"] tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['a1b2c3d4', 'Botol plastik', '10', '11:10:00', 'menunggu'],
      ['e5f6a7b8', 'Kaleng aluminium', '12', '11:20:05', 'gagal: invalid material'],
    ]);
    // A second tap closes the table again.
    await tap(view.byTestId('outbox-preview'));
    expect(view.byTestId('outbox-preview-table')).toBeNull();
  });

  it('shows the figures, translated alarms and the back-off countdown', async () => {
    const now = Date.parse('2026-01-31T05:00:00Z');
    vi.setSystemTime(now);
    kioskStore.getState().setOutbox(outboxState({ pending: 7, failedAttempts: 3, nextAttemptAt: now + 90_000, alarms: ['backlog', 'disk_low'], lastError: 'HTTP 503' }));
    fakeCore();
    view = await mount(<OutboxPanel />);
    expect(view.text('outbox-pending')).toBe('7');
    expect(view.text('outbox-alarms')).toBe('Antrean menumpuk, Disk hampir penuh');
    const text = view.text('panel-outbox');
    expect(text).toContain('12:01:30 (dalam 1:30)');
    expect(text).toContain('3 gagal beruntun');
    expect(text).toContain('HTTP 503');
    expect(view.byTestId('panel-outbox')?.dataset.tone).toBe('bad');
  });

  it('reports a push the core refused with the core\'s reason, not silence', async () => {
    vi.setSystemTime(Date.parse('2026-01-31T05:00:00Z'));
    kioskStore.getState().setOutbox(outboxState());
    fakeCore({
      'outbox.push': () => {
        throw new Error('[forbidden] outbox.push: technician only');
      },
    });
    view = await mount(<OutboxPanel />);
    await tap(view.byTestId('outbox-push-all'));
    await settle();
    // The core's reason travels as a code and shows in the screen's language; its English detail does not.
    expect(view.text('outbox-result')).toBe('Tidak ada jawaban dari inti kios (Hanya untuk teknisi)');
    expect((view.byTestId('outbox-push-all') as HTMLButtonElement).disabled).toBe(false);
  });
});
