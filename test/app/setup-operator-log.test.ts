/**
 * setupOperatorLog turns what the kiosk says about sessions, items, alerts and the controller link into
 * operator.jsonl lines. Sessions are driven by a real SessionFlow emitting on the core (as setupSession does),
 * on a fake clock, so a walk-away really times out; items and alerts arrive on the bus.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { setupOperatorLog } from '../../src/app/setup-operator-log.js';
import type { PayloadOf } from '../../src/contract/index.js';
import type { Alert, CreditDelivery, SessionItem } from '../../src/domain/events.js';
import type { OperatorLog } from '../../src/log/operator-log.js';
import { defaultTimeouts, SessionFlow } from '../../src/session/session-flow.js';
import { testContext } from '../helpers/context.js';

let dataDir: string;
let ctx: KioskContext;
let oplog: OperatorLog;
let flow: SessionFlow;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2025, 5, 1, 8, 0, 0) });
  dataDir = mkdtempSync(path.join(tmpdir(), 'rvm-oplog-setup-'));
  ctx = testContext(kioskConfig.parse({ dataDir }));
  oplog = setupOperatorLog(ctx);
  flow = new SessionFlow((state) => ctx.core.emit('session.state', state), { ...defaultTimeouts, activeIdleMs: 60_000, waitingLoginMs: 30_000 });
  ctx.core.emit('session.state', flow.current);
});
afterEach(async () => {
  flow.dispose();
  await ctx.core.dispose();
  vi.useRealTimers();
  rmSync(dataDir, { recursive: true, force: true });
});

async function lines(): Promise<Array<Record<string, unknown>>> {
  await oplog.flushed();
  return readFileSync(path.join(dataDir, 'logs', 'operator.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
const events = async () => (await lines()).map((l) => l.event);

/** What the deposit pipeline does for a settled item: the session state gains it, then the bus tells once. */
function settle(item: Omit<SessionItem, 'at'>): void {
  const full = { ...item, at: Date.now() };
  flow.update({ items: [...flow.current.items, full], totalPoints: flow.current.totalPoints + item.points });
  ctx.bus.emit('session.item', full);
}

describe('setupOperatorLog', () => {
  it('writes a guest session’s start, each item’s outcome under its session, and its end with totals', async () => {
    flow.send('start_guest');
    const sessionId = flow.current.sessionId;
    settle({ id: 'i1', material: 'pet', accepted: true, points: 10, outcome: 'accepted', returned: false });
    settle({ id: 'i2', material: 'glass', accepted: false, points: 0, outcome: 'material_unavailable', returned: true });
    flow.send('finish');
    flow.send('reset');
    const out = await lines();
    expect(out.map((l) => l.event)).toEqual(['kiosk.start', 'session.start', 'item', 'item', 'session.end']);
    expect(out[0]).toMatchObject({ demoMode: true, t: '2025-06-01T08:00:00.000Z' });
    expect(out[1]).toEqual({ t: expect.any(String), event: 'session.start', sessionId, start: 'guest' });
    expect(out[2]).toEqual({ t: expect.any(String), event: 'item', sessionId, itemId: 'i1', material: 'pet', outcome: 'accepted', accepted: true, points: 10, returned: false });
    expect(out[3]).toMatchObject({ sessionId, itemId: 'i2', outcome: 'material_unavailable', accepted: false, points: 0, returned: true });
    expect(out[4]).toEqual({ t: expect.any(String), event: 'session.end', sessionId, mode: 'guest', ended: 'finished', items: 2, accepted: 1, points: 10 });
  });

  it('says a session that nobody finished timed out', async () => {
    flow.send('start_guest');
    settle({ id: 'i1', material: 'can', accepted: true, points: 12, outcome: 'accepted', returned: false });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await events()).not.toContain('session.end');
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await lines()).at(-1)).toMatchObject({ event: 'session.end', mode: 'guest', ended: 'timed_out', items: 1, points: 12 });
  });

  it('tells a QR login given up from one that timed out, and a logged-in session ends as a member’s', async () => {
    flow.send('start_qr');
    flow.send('cancel');
    flow.send('start_qr');
    await vi.advanceTimersByTimeAsync(30_000);
    flow.send('start_qr');
    const member = flow.current.sessionId;
    flow.send('authorized', { userName: 'Sari' });
    flow.send('finish');
    const out = (await lines()).filter((l) => String(l.event).startsWith('session.'));
    expect(out.map((l) => [l.event, l.start ?? l.ended, l.mode ?? null])).toEqual([
      ['session.start', 'qr', null],
      ['session.end', 'login_cancelled', null],
      ['session.start', 'qr', null],
      ['session.end', 'login_timed_out', null],
      ['session.start', 'qr', null],
      ['session.end', 'finished', 'member'],
    ]);
    expect(out.at(-1)?.sessionId).toBe(member);
    expect(JSON.stringify(out)).not.toContain('Sari'); // names stay off the log
  });

  it('ends a new session started from the end screen without losing the first one', async () => {
    flow.send('start_guest');
    const first = flow.current.sessionId;
    flow.send('finish');
    flow.send('start_guest');
    const second = flow.current.sessionId;
    expect(second).not.toBe(first);
    const sessions = (await lines()).filter((l) => String(l.event).startsWith('session.')).map((l) => [l.event, l.sessionId]);
    expect(sessions).toEqual([
      ['session.start', first],
      ['session.end', first],
      ['session.start', second],
    ]);
  });

  it('writes each alert transition and each change of the controller link, not repeats of the same status', async () => {
    const alert: Alert = {
      id: 'a1', rule: 'bin_full.glass', sensor: 'bin.glass', severity: 'warning', effect: { kind: 'stop_material', material: 'glass' },
      status: 'raised', value: 97, threshold: 95, thresholdSource: 'default', raisedAt: Date.now(), updatedAt: Date.now(), history: [],
    };
    ctx.bus.emit('monitoring.alert', { alert, to: 'raised', at: Date.now(), by: { kind: 'system' } });
    ctx.bus.emit('monitoring.alert', { alert, to: 'acknowledged', at: Date.now(), by: { kind: 'technician', name: 'Budi', assignmentId: 4 } });
    const link = (status: PayloadOf<'hardware.state'>['status'], lastError: string | null = null): PayloadOf<'hardware.state'> => ({
      status, since: Date.now(), port: '/dev/rvm-controller', transport: 'serial', dialect: 'rvm1', firmware: null, attempts: 0, lastError, simulated: false,
      counters: { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, malformed: 0, naks: 0, timeouts: 0, retries: 0, reconnects: 0, staleReplies: 0, missedFrames: 0 },
    });
    ctx.core.emit('hardware.state', link('connected'));
    ctx.core.emit('hardware.state', link('connected'));
    ctx.core.emit('hardware.state', link('lost', 'ENXIO'));
    const out = await lines();
    expect(out.filter((l) => l.event === 'alert')).toEqual([
      expect.objectContaining({ alertId: 'a1', rule: 'bin_full.glass', severity: 'warning', status: 'raised', by: 'system', value: 97, threshold: 95 }),
      expect.objectContaining({ alertId: 'a1', status: 'acknowledged', by: 'technician:Budi' }),
    ]);
    expect(out.filter((l) => l.event === 'controller.link').map((l) => [l.status, l.lastError])).toEqual([
      ['connected', null],
      ['lost', 'ENXIO'],
    ]);
  });

  it('on shutdown ends the open session as such, says the kiosk stopped, and closes the file', async () => {
    flow.send('start_guest');
    await ctx.core.dispose();
    const out = await lines();
    expect(out.slice(-2)).toEqual([
      expect.objectContaining({ event: 'session.end', ended: 'shutdown', mode: 'guest', items: 0 }),
      expect.objectContaining({ event: 'kiosk.stop' }),
    ]);
    ctx.bus.emit('session.item', { id: 'late', material: 'pet', accepted: true, points: 10, outcome: 'accepted', returned: false, at: Date.now() });
    expect(await events()).not.toContain('item'); // unsubscribed and closed
  });
});

describe('credit deliveries', () => {
  const delivery = (outcome: 'delivered' | 'retry' | 'refused', extra: Partial<CreditDelivery> = {}): CreditDelivery => ({
    itemId: 'i1',
    sessionId: 's1',
    outcome,
    via: outcome === 'delivered' ? 'deposit' : null,
    status: outcome === 'delivered' ? null : 503,
    reply: outcome === 'delivered' ? 'accepted (deposit)' : 'HTTP 503 Service Unavailable',
    ...extra,
  });

  it('writes whether each credit was delivered, with the server\'s reply, once per distinct reply', async () => {
    ctx.bus.emit('credit.delivery', delivery('retry', { status: null, reply: 'connect ECONNREFUSED 10.0.0.5:443' }));
    ctx.bus.emit('credit.delivery', delivery('retry', { status: null, reply: 'connect ECONNREFUSED 10.0.0.5:443' })); // the same again: skipped
    ctx.bus.emit('credit.delivery', delivery('retry'));
    ctx.bus.emit('credit.delivery', delivery('delivered'));
    ctx.bus.emit('credit.delivery', delivery('refused', { itemId: 'i2', status: 422, reply: 'The weight field must be a number.' }));
    const logged = (await lines()).filter((l) => l.event === 'credit.delivery');
    expect(logged).toEqual([
      expect.objectContaining({ itemId: 'i1', sessionId: 's1', delivered: false, outcome: 'retry', status: null, reply: 'connect ECONNREFUSED 10.0.0.5:443' }),
      expect.objectContaining({ itemId: 'i1', delivered: false, outcome: 'retry', status: 503, reply: 'HTTP 503 Service Unavailable' }),
      expect.objectContaining({ itemId: 'i1', delivered: true, outcome: 'delivered', via: 'deposit', reply: 'accepted (deposit)' }),
      expect.objectContaining({ itemId: 'i2', delivered: false, outcome: 'refused', status: 422, reply: 'The weight field must be a number.' }),
    ]);
  });

  it('writes a failure again after a delivery in between (a second credit with the same id is news)', async () => {
    ctx.bus.emit('credit.delivery', delivery('retry'));
    ctx.bus.emit('credit.delivery', delivery('delivered'));
    ctx.bus.emit('credit.delivery', delivery('retry'));
    expect((await lines()).filter((l) => l.event === 'credit.delivery').map((l) => l.outcome)).toEqual(['retry', 'delivered', 'retry']);
  });
});
