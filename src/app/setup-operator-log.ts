/**
 * What an operator needs to answer "my bottle didn't count", as JSON lines in <dataDir>/logs/operator.jsonl
 * (src/log/operator-log.ts; docs/deployment.md lists every record):
 *   kiosk.start / kiosk.stop, session.start / session.end / session.donated, item (one per settled item, with its outcome),
 *   alert (each monitoring alert transition), controller.link (each change of the controller link's status),
 *   credit.delivery (each credit the outbox delivered, or could not, with the server's reply).
 *
 * Sessions are followed on the core's `session.state` event rather than the bus's `session.phase`, because only
 * the state carries the mode, the items, the points and the deadline an end is judged against. Items come from
 * the bus's `session.item` (each settled item, once), filed under the session open at that moment. No names,
 * claim codes or other secrets are written: session and item ids are what the server and the receipts know.
 * Deliveries come from the bus's `credit.delivery`; a credit that keeps failing the same way (the server offline
 * for a day) is written once per reply, not once per retry.
 */
import path from 'node:path';
import type { PayloadOf } from '../contract/index.js';
import type { ItemOutcome } from '../contract/outcomes.js';
import type { CreditDelivery } from '../domain/events.js';
import { OperatorLog } from '../log/operator-log.js';
import type { KioskContext } from './context.js';

type SessionState = PayloadOf<'session.state'>;
type LinkState = PayloadOf<'hardware.state'>;

/**
 * How a session ended. The flow does not say why it moved on, so a timeout is recognised by the deadline it
 * was waiting for having passed (timers fire at or just after it; a tap in the last half second reads as one).
 */
export type SessionEnd = 'finished' | 'timed_out' | 'login_cancelled' | 'login_timed_out' | 'shutdown';
const DEADLINE_SLACK_MS = 500;

/** Every record the log holds, by its `event` (docs/deployment.md explains them to operators). */
export interface OperatorRecords {
  'kiosk.start': { demoMode: boolean; machineName: string };
  'kiosk.stop': Record<string, never>;
  'session.start': { sessionId: string; start: 'guest' | 'qr' };
  'session.end': { sessionId: string; mode: SessionState['mode']; ended: SessionEnd; items: number; accepted: number; points: number };
  'session.donated': { sessionId: string; points: number };
  item: { sessionId: string | null; itemId: string; material: string; outcome: ItemOutcome; accepted: boolean; points: number; returned: boolean };
  alert: { alertId: string; rule: string; severity: string; status: string; by: string; value: number; threshold: number };
  'controller.link': { status: LinkState['status']; port: string | null; simulated: boolean; lastError: string | null };
  'credit.delivery': CreditDelivery & { delivered: boolean };
}

/** Credits whose last failed reply is remembered (to skip repeats); beyond this the oldest is forgotten. */
const MAX_REMEMBERED_FAILURES = 1000;

export function setupOperatorLog(ctx: KioskContext): OperatorLog {
  const { core, bus, config } = ctx;
  const { maxBytes, files, maxAgeDays } = config.operatorLog;
  const oplog = new OperatorLog({ dir: path.join(config.dataDir, 'logs'), maxBytes, files, maxAgeMs: maxAgeDays * 86_400_000 });
  let state: SessionState | null = null;
  let open: string | null = null;
  let linkStatus: LinkState['status'] | null = null;
  const record = <K extends keyof OperatorRecords>(event: K, fields: OperatorRecords[K]) => oplog.write({ event, ...fields });

  const end = (sessionId: string, last: SessionState, ended: SessionEnd) => {
    record('session.end', {
      sessionId,
      mode: last.mode,
      ended,
      items: last.items.length,
      accepted: last.items.filter((item) => item.accepted).length,
      points: last.totalPoints,
    });
    open = null;
  };

  const onSession = (next: SessionState) => {
    const prev = state;
    state = next;
    if (open && prev && (next.phase === 'finished' || next.phase === 'idle' || next.sessionId !== open)) {
      // Leaving the login wait for idle resets the state: what the session had is in `prev`.
      const timedOut = prev.deadline !== null && Date.now() >= prev.deadline - DEADLINE_SLACK_MS;
      if (prev.phase === 'waiting_login') end(open, prev, timedOut ? 'login_timed_out' : 'login_cancelled');
      else end(open, next.phase === 'idle' ? prev : next, timedOut ? 'timed_out' : 'finished');
    }
    if (next.donated && prev && !prev.donated && next.sessionId && next.sessionId === prev.sessionId) {
      record('session.donated', { sessionId: next.sessionId, points: next.totalPoints });
    }
    if (next.sessionId && next.sessionId !== open && next.phase !== 'finished' && next.phase !== 'idle') {
      open = next.sessionId;
      record('session.start', { sessionId: open, start: next.mode === 'guest' ? 'guest' : 'qr' });
    }
  };

  const onLink = (link: LinkState) => {
    if (link.status === linkStatus) return;
    linkStatus = link.status;
    record('controller.link', { status: link.status, port: link.port, simulated: link.simulated, lastError: link.lastError });
  };

  const offCore = core.subscribe((name, payload) => {
    if (name === 'session.state') onSession(payload as SessionState);
    else if (name === 'hardware.state') onLink(payload as LinkState);
  });
  const offItem = bus.on('session.item', (item) =>
    record('item', {
      sessionId: open,
      itemId: item.id,
      material: item.material,
      outcome: item.outcome,
      accepted: item.accepted,
      points: item.points,
      returned: item.returned,
    }),
  );
  const lastFailure = new Map<string, string>();
  const offDelivery = bus.on('credit.delivery', (delivery) => {
    const key = `${delivery.outcome} ${delivery.status ?? ''} ${delivery.reply}`;
    if (delivery.outcome === 'delivered') lastFailure.delete(delivery.itemId);
    else if (lastFailure.get(delivery.itemId) === key) return;
    else {
      lastFailure.delete(delivery.itemId); // re-inserted last: the map forgets the oldest first
      lastFailure.set(delivery.itemId, key);
      if (lastFailure.size > MAX_REMEMBERED_FAILURES) lastFailure.delete(lastFailure.keys().next().value!);
    }
    record('credit.delivery', { ...delivery, delivered: delivery.outcome === 'delivered' });
  });
  const offAlert = bus.on('monitoring.alert', ({ alert, to, by }) =>
    record('alert', {
      alertId: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      status: to,
      by: by.kind === 'technician' ? `technician:${by.name}` : 'system',
      value: alert.value,
      threshold: alert.threshold,
    }),
  );

  record('kiosk.start', { demoMode: ctx.demoMode, machineName: config.machineName });
  core.onDispose(async () => {
    offCore();
    offItem();
    offAlert();
    offDelivery();
    if (open && state) end(open, state, 'shutdown');
    record('kiosk.stop', {});
    await oplog.close();
  });
  return oplog;
}
