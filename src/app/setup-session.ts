/**
 * The recycler's session: commands (start as guest or by QR, finish, cancel), the QR login, and the deposit
 * pipeline that turns inserted items into durable credits through item custody (journal under
 * <dataDir>/custody). Before the session takes items, and again on every controller link-up, custody is
 * reconciled with the controller and an item left in the intake is handed back (docs/reliability.md).
 */
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import { wireDepositPipeline } from '../session/deposit-pipeline.js';
import type { CreditStore, ItemClassifier, MachinePort, MachineTracking, SessionServer } from '../domain/ports.js';
import { FileCustodyStore } from '../session/custody/custody-store.js';
import { Custody } from '../session/custody/item-custody.js';
import { createMachineRecovery } from '../session/custody/machine-recovery.js';
import { wireQrLogin } from '../session/qr-login.js';
import { SessionFlow } from '../session/session-flow.js';
import { StuckItemAlarm } from '../session/stuck-item.js';
import type { KioskContext } from './context.js';
import { registerSessionCommands } from './session-commands.js';

const log = createLogger('session');

export interface SessionParts {
  machine: MachinePort & MachineTracking;
  classifier: ItemClassifier;
  credits: CreditStore;
  server: SessionServer;
}

export interface SessionOptions {
  /** How long the pipeline waits for an item's drop before asking the controller (default 8 s). */
  dropTimeoutMs?: number;
}

export async function setupSession(ctx: KioskContext, parts: SessionParts, options: SessionOptions = {}): Promise<SessionFlow> {
  const { core, bus, status, config } = ctx;
  const phaseListeners = new Set<() => void>();
  let lastPhase: string | null = null;
  const announced = new Set<string>();
  const flow = new SessionFlow(
    (state) => {
      core.emit('session.state', state);
      for (const listener of phaseListeners) listener();
      if (state.phase === 'idle') announced.clear();
      for (const item of state.items) {
        if (announced.has(item.id)) continue;
        announced.add(item.id);
        bus.emit('session.item', { id: item.id, material: item.material, accepted: item.accepted, points: item.points, outcome: item.outcome, returned: item.returned, at: item.at });
      }
      if (state.phase !== lastPhase) {
        lastPhase = state.phase;
        bus.emit('session.phase', { phase: state.phase, sessionId: state.sessionId });
      }
    },
    config.session,
  );
  core.emit('session.state', flow.current);

  const offQr = wireQrLogin(flow, parts.server, (listener) => phaseListeners.add(listener));
  // An item that could not be handed back takes the machine out of service until the intake is clear.
  const stuck = new StuckItemAlarm(parts.machine, status);
  const { custody, store, recover } = await setupCustody(ctx, parts, () => flow.current.phase === 'processing', stuck);
  const offPipeline = wireDepositPipeline({
    machine: parts.machine,
    classifier: parts.classifier,
    custody,
    flow,
    points: config.points,
    canAccept: () => parts.credits.canAccept?.() ?? true,
    availability: status.availability,
    onStuck: (detail) => stuck.raise(detail),
    onBusy: (busy) => {
      status.setBusy(busy);
      // A hand-back that failed after the link-up recovery already ran (it leaves a busy pipeline's item
      // alone) would otherwise wait for the next link-up: look at the intake again now.
      if (!busy && stuck.stuck && parts.machine.connected) void recover();
    },
    ...(options.dropTimeoutMs === undefined ? {} : { dropTimeoutMs: options.dropTimeoutMs }),
  });
  const offLinkUp = parts.machine.onLinkUp(() => void recover());
  core.onDispose(async () => {
    offQr();
    offPipeline();
    offLinkUp();
    custody.dispose();
    stuck.dispose();
    flow.dispose();
    await store.dispose();
  });
  // Before the first session: settle what a crash left (credits for items that reached their bin, the
  // intake cleared). If the link is not up yet, the first link-up does it.
  if (parts.machine.connected) await recover();

  await registerSessionCommands(ctx, flow, parts.server);
  return flow;
}

/**
 * Item custody and the recovery run at start and on link-up. Status notices (in service, for technicians):
 * `intake_item_returned` (an item found in the intake was handed back, and when),
 * `item_wrong_bin` (an item dropped into another bin than it was sorted to: which item and bins; not credited)
 * and `custody_unconfirmed` (an item may be in a bin but could not be confirmed, so it was not credited:
 * which item, material and bin, and how many so far).
 */
async function setupCustody({ status, config }: KioskContext, parts: SessionParts, busy: () => boolean, stuck: StuckItemAlarm) {
  const store = await FileCustodyStore.open(path.join(config.dataDir, 'custody'));
  let unconfirmed = 0;
  const custody = new Custody({
    store,
    machine: parts.machine,
    tracking: parts.machine,
    credits: parts.credits,
    onUnconfirmed: (detail) => {
      unconfirmed += 1;
      status.notice('custody_unconfirmed', unconfirmed === 1 ? detail : `${unconfirmed} items not credited; latest: ${detail}`);
    },
    onWrongBin: (detail) => status.notice('item_wrong_bin', detail),
  });
  const run = createMachineRecovery({
    custody,
    machine: parts.machine,
    tracking: parts.machine,
    busy,
    onItemReturned: (detail) => status.notice('intake_item_returned', detail),
    onIntakeClear: (why) => stuck.intakeClear(why),
  });
  const recover = () =>
    run().catch((err: unknown) => {
      log.error('reconciling with the controller failed; it is tried again on the next link-up', { error: String(err) });
      return null;
    });
  return { custody, store, recover };
}
