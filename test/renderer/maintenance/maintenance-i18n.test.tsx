/**
 * Everything on the technician's screens comes from the i18n tables: each maintenance panel, the PIN pad and
 * the technician corner are rendered in Bahasa Indonesia with every fact filled and every result shown, and
 * no text may be a string that exists only in the English tables, nor one of the English literals the panels
 * used to carry. Core data (a controller's error, a request path) is given neutral values, so that what is
 * found is the screen's own words.
 */
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tables } from '../../../renderer/src/i18n/tables.js';
import { TechnicianCorner } from '../../../renderer/src/components/TechnicianCorner.js';
import { MaintenanceScreen } from '../../../renderer/src/screens/MaintenanceScreen.js';
import { PinScreen } from '../../../renderer/src/screens/PinScreen.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { outboxState, serverState } from './fixtures.js';
import { alert, auditEntry, summary, systemInfo, typeInto } from './dashboard-fixtures.js';
import { fakeCore, mount, resetStore, settle, tap, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z');

/** What the panels said in English before they were translated (HardwarePanel, DetectionPanel). */
const REMOVED_ENGLISH = [
  'Mesin / Machine', 'Link', 'since', 'Frames in/out', 'Malformed', 'timeouts', 'Retries', 'reconnects', 'Last error', 'Bin',
  'FULL', 'GAGAL / FAILED', 'no reply', 'load', 'conveyor', 'gate', 'door_lock', 'door_unlock', 'lights', 'buzzer', 'tare',
  'connected', 'base', 'synced', 'folder', 'manifest', 'config', 'downloading', 'up_to_date', 'no_announcement',
];

/** Literal words of each English-only template (placeholders cut out), at least 4 characters long. */
function englishOnlyFragments(): string[] {
  const indonesian = new Set(Object.values(tables.id));
  const fragments = new Set<string>();
  const literals = (template: string) => template.split(/\{\w+\}/).map((part) => part.replace(/^[\s·:(),/—-]+|[\s·:(),/—-]+$/g, ''));
  for (const [key, english] of Object.entries(tables.en)) {
    if (indonesian.has(english)) continue;
    // Words both languages share in the same string ("total", "ms · p95") are not English-only.
    const shared = new Set(literals(tables.id[key] ?? ''));
    for (const literal of literals(english)) {
      if (/[A-Za-z]{2}/.test(literal) && literal.length >= 4 && !indonesian.has(literal) && !shared.has(literal)) fragments.add(literal);
    }
  }
  return [...fragments];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const asWords = (s: string) => new RegExp(`(^|[^A-Za-z_])${escape(s)}($|[^A-Za-z_])`);

/** Every piece of text a person can read or hear: text nodes, labels and titles. */
function visibleTexts(root: HTMLElement): string[] {
  const texts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent?.trim()) texts.push(node.textContent.trim());
  for (const el of root.querySelectorAll('[aria-label], [title], [alt]')) {
    for (const name of ['aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  return texts;
}

function englishFound(root: HTMLElement): Array<{ text: string; english: string }> {
  const patterns = [...englishOnlyFragments(), ...REMOVED_ENGLISH].map((english) => ({ english, re: asWords(english) }));
  return visibleTexts(root).flatMap((text) => patterns.filter((p) => p.re.test(text)).map((p) => ({ text, english: p.english })));
}

function fillTheStore(): void {
  const s = kioskStore.getState();
  s.setClock({ offsetMs: 1200, timezone: 'Asia/Jakarta', abbreviation: 'WIB', synced: true, source: 'server', driftAlarm: true, sync: { zoneSource: 'handshake', zoneChanges: 2, lastZoneChangeAt: NOW - 60_000, lastSampleAt: NOW - 30_000 } });
  s.setMaintenance({ active: true, technicianName: 'Budi', lockedUntil: null, remainingAttempts: null, autoExitAt: NOW + 600_000, permissions: null });
  s.setServer(serverState({ realtimeDetail: 'rvm.3f1c', lastError: 'E401', lastHandshakeAt: NOW - 5_000, lastHeartbeatAt: NOW - 2_000 }));
  s.setOutbox(outboxState({ pending: 2, failed: 1, damagedLines: 1, damagedCredits: 1, quarantined: 1, ackPending: 1, writeError: 'EIO', oldestPendingAt: new Date(NOW - 3_600_000).toISOString(), lastPushAt: NOW - 60_000, lastError: 'E500', failedAttempts: 2, nextAttemptAt: NOW + 30_000, alarms: ['backlog', 'disk_low'] }));
  s.setStatus({ state: 'maintenance', reasons: [{ code: 'bin_full', detail: '97%' }], notices: [{ code: 'clock_drift' }], materials: { pet: { accepting: true, reason: null }, can: { accepting: true, reason: null }, glass: { accepting: false, reason: 'bin_full' } }, demoMode: true, machineName: 'RVM' });
  s.setConnected(true);
  s.setTransport('websocket');
  s.setLink({
    status: 'reconnecting', since: NOW - 90_000, port: '/dev/ttyUSB0', transport: 'serial', dialect: 'rvm1', firmware: 'rvm1 2.4.0', attempts: 3, lastError: 'E-TIMEOUT', simulated: false,
    counters: { framesIn: 10, framesOut: 12, bytesIn: 100, bytesOut: 120, malformed: 1, naks: 2, timeouts: 3, retries: 4, reconnects: 5, staleReplies: 0, missedFrames: 0 },
  });
  s.setBins({ thresholdPercent: 90, bins: { plastic: { percent: 97, full: true }, can: { percent: 40, full: false }, glass: { percent: 10, full: false }, reject: { percent: 0, full: false } }, updatedAt: NOW });
  s.setDetection({
    status: 'ready', model: { name: 'rvm-yolo', version: '1.2.0', sha256: 'a'.repeat(64), source: 'synced' }, camera: { kind: 'v4l2', status: 'unavailable', detail: '/dev/video0' },
    lastInferenceMs: 41, modelLoadMs: 800, threshold: 0.5, thresholdSource: 'server', canRollback: true,
    modelSync: { phase: 'downloading', targetVersion: '1.3.0', receivedBytes: 50, totalBytes: 100 },
  });
}

describe('maintenance screens in Bahasa Indonesia', () => {
  let view: Mounted | null = null;

  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    fillTheStore();
  });

  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('knows which strings exist only in English, so the check below can fail', () => {
    const fragments = englishOnlyFragments();
    expect(fragments).toEqual(expect.arrayContaining(['Last error', 'Lock door', 'Technician entry: hold for 3 seconds']));
    const probe = document.createElement('div');
    probe.innerHTML = '<dl><dt>Last error</dt><dd>E1</dd></dl>';
    expect(englishFound(probe)).toEqual(expect.arrayContaining([{ text: 'Last error', english: 'Last error' }]));
  });

  it('shows every panel, its results and its tables without an English word', async () => {
    let pingOk = true;
    fakeCore({
      'maintenance.touch': () => kioskStore.getState().maintenance!,
      'hardware.test': ({ action }) => ({ action, ok: pingOk, roundTripMs: 3.2, detail: 'ACK' }),
      'detection.checkModelUpdate': () => ({ outcome: 'no_announcement', targetVersion: null }) as never,
      'server.testConnection': () => ({ ok: true, link: 'online', message: '200' }),
      'server.status': () => ({ state: serverState(), recent: [{ at: NOW - 1_000, method: 'POST', path: '/api/v1/edge/heartbeat', status: 200, ms: 12, attempt: 1 }] }),
      'outbox.preview': () => ({ total: 1, records: [{ id: 'c0ffee00-0000-4000-8000-000000000000', material: 'glass', points: 5, at: new Date(NOW).toISOString(), status: 'failed', error: 'E422' }] }) as never,
    });
    view = await mount(<MaintenanceScreen />);
    const results: string[] = [];
    for (const [button, result] of [
      ['hw-test-door_lock', 'hw-test-result'],
      ['detection-check-update', 'detection-result'],
      ['server-test', 'server-result'],
      ['server-log', 'server-log-table'],
      ['outbox-preview', 'outbox-preview-table'],
    ] as const) {
      await tap(view.byTestId(button));
      await settle();
      results.push(view.text(result));
    }
    expect(results[0]).toBe('Kunci pintu: OK (3.2 ms) ACK');
    pingOk = false;
    await tap(view.byTestId('hw-test-ping'));
    await settle();
    expect(view.text('hw-test-result')).toBe('Ping: GAGAL (3.2 ms) ACK');
    expect(view.text('panel-hardware')).toContain('Wadah plastik97% PENUH');
    expect(englishFound(view.container)).toEqual([]);
  });

  it('says "no reply" from a hardware test in Bahasa Indonesia', async () => {
    fakeCore({ 'maintenance.touch': () => kioskStore.getState().maintenance! });
    view = await mount(<MaintenanceScreen />);
    await tap(view.byTestId('panel-status')); // the throttled maintenance.touch goes first, so only the test fails
    await settle();
    await tap(view.byTestId('hw-test-gate'));
    await settle();
    expect(view.text('hw-test-result')).toBe('Gerbang: Tidak ada jawaban dari inti kios (Terjadi gangguan, silakan coba lagi)');
    expect(englishFound(view.container)).toEqual([]);
  });

  it('shows the PIN pad and the corner without an English word', async () => {
    fakeCore({ 'maintenance.enter': () => ({ ok: false, error: 'wrong_pin', remainingAttempts: 0, lockedUntil: NOW + 30_000 }) });
    view = await mount(
      <>
        <TechnicianCorner onOpen={() => undefined} />
        <PinScreen onClose={() => undefined} />
      </>,
    );
    for (const digit of '123456') await tap(view.byTestId(`pin-${digit}`));
    await tap(view.byTestId('pin-ok'));
    await settle();
    await act(async () => void view!.byTestId('technician-corner')?.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true })));
    expect(view.text('pin-message')).toContain('Coba lagi dalam 0:29'); // the screen clock runs 1.2 s ahead
    expect(englishFound(view.container)).toEqual([]);
  });

  it('shows every dashboard tab, its forms and dialogs without an English word', async () => {
    // Core data is neutral (rule r1, sensor s1, action x1) so that what is found is the screen's own words.
    const by = { kind: 'technician' as const, name: 'Budi', assignmentId: 7 };
    const raised = alert({ id: 'a1', rule: 'r1', sensor: 's1', effect: { kind: 'stop_sessions' }, thresholdSource: 'config' });
    const acked = alert({ id: 'a2', rule: 'r2', sensor: 's1', severity: 'critical', status: 'acknowledged', history: [{ status: 'acknowledged', at: NOW, by, note: 'n1' }] });
    fakeCore({
      'maintenance.touch': () => kioskStore.getState().maintenance!,
      'monitoring.alerts': () => ({ open: [raised, acked], total: 3, alerts: [raised, acked, alert({ id: 'a3', rule: 'r3', status: 'resolved', effect: { kind: 'none' }, history: [{ status: 'resolved', at: NOW, by: { kind: 'system' }, note: null }] })] }),
      'monitoring.sensors': () => ({ sensors: [{ sensor: 'bin.glass', label: 'S-1', unit: '%', value: 1, at: NOW }] }),
      'monitoring.history': (r) => ({ sensor: r.sensor, unit: '%', from: NOW - 86_400_000, to: NOW, points: Array.from({ length: 25 }, (_, i) => ({ at: NOW - i * 60_000, value: i, min: i, max: i })) }),
      'monitoring.summary': () => summary(),
      'monitoring.exportCsv': () => ({ filename: 'f.csv', rows: 1, csv: 'h\r\n1\r\n' }),
      'technician.audit': () => ({ entries: [auditEntry({ action: 'x1', detail: { k: 1 }, result: 'refused', reported: false })] }),
      'technician.systemInfo': () => systemInfo(),
      'technician.tare': () => ({ ok: false, weightGrams: null }),
    });
    kioskStore.getState().setMaintenance({ ...kioskStore.getState().maintenance!, permissions: { test_hardware: true, reboot_machine: false } });
    view = await mount(<MaintenanceScreen />);
    const seen: string[] = [];
    const check = (where: string) => seen.push(...englishFound(view!.container).map((f) => `${where}: ${f.text} (${f.english})`));
    await tap(view.byTestId('tab-alerts'));
    await settle();
    await tap(view.byTestId('alert-a2-resolve'));
    await tap(view.byTestId('alert-note-save')); // refused: the note is required
    check('alerts');
    await tap(view.byTestId('tab-charts'));
    await settle();
    check('charts');
    await tap(view.byTestId('tab-today'));
    await settle();
    await tap(view.byTestId('export-start'));
    await settle();
    check('today');
    await tap(view.byTestId('tab-audit'));
    await settle();
    await act(async () => typeInto(view!.byTestId('audit-action'), 'x1'));
    check('audit');
    await tap(view.byTestId('tab-machine'));
    await settle();
    await tap(view.byTestId('machine-tare'));
    await settle();
    await tap(view.byTestId('machine-bin-can'));
    check('machine');
    expect(view.text('alert-note-missing') || view.text('machine-confirm')).not.toBe('');
    expect(seen).toEqual([]);

    // The same tabs in English are caught, so the check above is not vacuous.
    kioskStore.getState().setLanguage('en');
    await tap(view.byTestId('machine-confirm-no'));
    expect(englishFound(view.container).map((f) => f.english)).toEqual(expect.arrayContaining(['Network addresses', 'Some actions are not permitted for this assignment']));
  });

  it('shows the timezone sync, the threshold stepper and the backup tab, with results and dialogs, without an English word', async () => {
    const s = kioskStore.getState();
    s.setClock({
      ...s.clock,
      sync: {
        ...s.clock.sync,
        timezoneSync: {
          availability: 'available', spelling: 'dash', successes: 3, failures: 1, successRate: 0.75, lastSyncAt: NOW - 60_000, lastAttemptAt: NOW - 60_000, lastResult: 'failed',
          lastError: 'timeout', lastMethod: 'manual', country: 'ID', city: 'Jakarta', server: { timezone: 'Asia/Jakarta', lastSyncAt: '2026-01-31T04:59:00Z', syncCount: 3, readAt: NOW }, nextAutoAt: NOW + 60_000,
        },
      },
    });
    s.setDetection({ ...s.detection!, modelSync: { phase: 'failed', targetVersion: '1.3.0', receivedBytes: 0, totalBytes: null, failure: 'not_onnx', detail: 'x' } });
    const archive = { name: 'b1.tar.gz', file: '/d/b1.tar.gz', bytes: 2048, at: NOW - 60_000 };
    fakeCore({
      'maintenance.touch': () => kioskStore.getState().maintenance!,
      'technician.systemInfo': () => systemInfo(),
      'clock.syncTimezone': () => ({ outcome: 'failed', timezone: null, retryInMs: null, reason: 'http_503', figures: kioskStore.getState().clock.sync.timezoneSync! }),
      'detection.setThreshold': () => ({ state: kioskStore.getState().detection!, server: 'not_offered' }),
      'backup.status': () => ({ phase: 'archiving', percent: 30, operation: 'backup', lastBackupAt: new Date(NOW - 60_000).toISOString(), lastFile: 'b1.tar.gz', lastError: 'backup_upload_failed', lastErrorMessage: 'x', lastUpload: 'failed', server: 'available', archives: [archive] }),
      'backup.usbTargets': () => ({ targets: [{ dir: '/m/u', label: 'U1', writable: false }] }),
      'backup.restore': () => {
        throw new Error('[backup_other_machine] x');
      },
    });
    view = await mount(<MaintenanceScreen />);
    const seen: string[] = [];
    const check = (where: string) => seen.push(...englishFound(view!.container).map((f) => `${where}: ${f.text} (${f.english})`));
    await tap(view.byTestId('threshold-set'));
    await settle();
    expect(view.text('threshold-result')).not.toBe('');
    check('overview');
    await tap(view.byTestId('tab-machine'));
    await settle();
    await tap(view.byTestId('tz-sync'));
    await settle();
    expect(view.text('tz-result')).not.toBe('');
    check('machine');
    await tap(view.byTestId('tab-backup'));
    await settle();
    await tap(view.byTestId('backup-usb'));
    await settle();
    check('backup');
    // The phase is "archiving" so the buttons are disabled; finish it to reach the restore dialogs.
    await act(async () => kioskStore.getState().setBackup({ ...kioskStore.getState().backup!, phase: 'done', percent: 100 }));
    await tap(view.byTestId('backup-restore-b1.tar.gz'));
    check('restore dialog');
    await tap(view.byTestId('backup-confirm-yes'));
    await settle();
    expect(view.byTestId('backup-confirm-force')).not.toBeNull();
    check('second dialog');
    expect(seen).toEqual([]);

    await act(async () => kioskStore.getState().setLanguage('en'));
    expect(englishFound(view.container).map((f) => f.english)).toEqual(expect.arrayContaining(['Back up now', 'Backup & restore']));
  });

  it('shows the outbox hold, range and push history, and the remote-access panel, without an English word', async () => {
    // Core data is neutral (reason r1, interface if0, host h1) so that what is found is the screen's own words.
    const s = kioskStore.getState();
    s.setOutbox({ ...s.outbox!, hold: { on: true, reason: 'r1', since: NOW - 60_000 } });
    s.setRemote({
      enabled: true, active: true, sessionId: 's1', since: NOW - 60_000, until: NOW + 600_000, lastError: 'remote_start_failed', lastErrorDetail: 'x', server: 'absent',
      addresses: [{ interface: 'if0', address: '10.0.0.2', family: 'IPv4', vpn: true }, { interface: 'if1', address: '10.0.0.3', family: 'IPv4', vpn: false }], history: [],
    });
    const held = { at: NOW, trigger: 'manual' as const, result: 'held' as const, attempted: 0, pushed: 0, failed: 0, from: Date.parse('2026-01-30T17:00:00Z'), to: Date.parse('2026-01-31T17:00:00Z'), message: null };
    fakeCore({
      'maintenance.touch': () => kioskStore.getState().maintenance!,
      'technician.systemInfo': () => systemInfo(),
      'outbox.history': () => ({ entries: [held, { ...held, trigger: 'automatic', result: 'retryable', from: null, to: null, attempted: 2, failed: 1 }, { ...held, result: 'ok', from: NOW - 60_000 }] }),
      'outbox.push': () => {
        throw new Error('[outbox_held] x');
      },
      'remote.history': () => ({ entries: [{ id: 'r1', startedAt: NOW - 60_000, endedAt: null, minutes: 30, endReason: null, host: 'h1' }, ...(['stopped', 'expired', 'exited', 'failed', 'shutdown'] as const).map((endReason, i) => ({ id: `r${i + 2}`, startedAt: NOW - 9e6, endedAt: NOW - 8e6, minutes: 5, endReason, host: null }))] }),
      'remote.stop': () => {
        throw new Error('[remote_busy] x');
      },
    });
    view = await mount(<MaintenanceScreen />);
    const seen: string[] = [];
    const check = (where: string) => seen.push(...englishFound(view!.container).map((f) => `${where}: ${f.text} (${f.english})`));
    await tap(view.byTestId('outbox-history'));
    await settle();
    await tap(view.byTestId('outbox-push-all'));
    await settle();
    expect(view.text('outbox-result')).not.toBe('');
    await act(async () => typeInto(view!.byTestId('outbox-range-from'), '2026-02-09'));
    expect(view.text('outbox-range-invalid')).not.toBe('');
    expect(view.text('outbox-hold-banner')).not.toBe('');
    expect(view.container.querySelectorAll('[data-testid="outbox-history-table"] tbody tr')).toHaveLength(3);
    check('outbox');
    await tap(view.byTestId('tab-machine'));
    await settle();
    await tap(view.byTestId('remote-history'));
    await settle();
    await tap(view.byTestId('remote-stop'));
    await settle();
    expect(view.text('remote-result')).not.toBe('');
    expect(view.container.querySelectorAll('[data-testid="remote-history-table"] tbody tr')).toHaveLength(6);
    check('remote');
    await act(async () => kioskStore.getState().setRemote({ ...kioskStore.getState().remote!, enabled: false, active: false, server: 'unknown' }));
    check('remote off');
    expect(seen).toEqual([]);

    await act(async () => kioskStore.getState().setLanguage('en'));
    expect(englishFound(view.container).map((f) => f.english)).toEqual(expect.arrayContaining(['Session history', 'Remote access', 'switched off in configuration']));
  });

  it('would catch the same screens in English (the check is not vacuous)', async () => {
    fakeCore({ 'maintenance.touch': () => kioskStore.getState().maintenance! });
    kioskStore.getState().setLanguage('en');
    view = await mount(<MaintenanceScreen />);
    const found = englishFound(view.container).map((f) => f.english);
    expect(found).toEqual(expect.arrayContaining(['Last error', 'Lock door', 'Machine']));
  });
});
