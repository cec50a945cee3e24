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
  s.setMaintenance({ active: true, technicianName: 'Budi', lockedUntil: null, remainingAttempts: null, autoExitAt: NOW + 600_000 });
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

  it('would catch the same screens in English (the check is not vacuous)', async () => {
    fakeCore({ 'maintenance.touch': () => kioskStore.getState().maintenance! });
    kioskStore.getState().setLanguage('en');
    view = await mount(<MaintenanceScreen />);
    const found = englishFound(view.container).map((f) => f.english);
    expect(found).toEqual(expect.arrayContaining(['Last error', 'Lock door', 'Machine']));
  });
});
