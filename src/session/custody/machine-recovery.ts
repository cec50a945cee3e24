/**
 * What the kiosk does when it (re)gains the controller — at start-up and on every link-up: first settle the
 * custody records it holds (see item-custody.ts), then look at the intake. An item there that no pipeline
 * is handling (left by a crash during classification, or inserted while the kiosk was down) would block
 * every later insert while the screen says ready, because the kiosk reacts only to the item-present event it
 * never saw. It is handed back (the reject chute leads to the user's tray), logged, and noted for technicians.
 */
import type { MachinePort, MachineTracking } from '../../domain/ports.js';
import { createLogger } from '../../log/logger.js';
import type { Custody, ReconcileReport } from './item-custody.js';

const log = createLogger('custody');

export interface RecoveryOptions {
  custody: Custody;
  machine: MachinePort;
  tracking: MachineTracking;
  /** True while the deposit pipeline handles an item: the intake's item is then its own. */
  busy(): boolean;
  /** An item found in the intake was handed back; `detail` says so for technicians. */
  onItemReturned?(detail: string): void;
  /** The intake was found empty, or its item handed back: a stuck item (stuck-item.ts) is gone. */
  onIntakeClear?(why: string): void;
}

export interface RecoveryReport {
  custody: ReconcileReport;
  /** An item was found in the intake and handed back. */
  returned: boolean;
}

export function createMachineRecovery(options: RecoveryOptions): () => Promise<RecoveryReport> {
  let running: Promise<RecoveryReport> | null = null;
  let again = false;
  const once = async (): Promise<RecoveryReport> => {
    const custody = await options.custody.reconcile();
    return { custody, returned: await returnLeftoverItem(options) };
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let report: RecoveryReport;
      do {
        again = false;
        report = await once();
      } while (again);
      return report;
    })().finally(() => (running = null));
    return running;
  };
}

async function returnLeftoverItem({ custody, machine, tracking, busy, onItemReturned, onIntakeClear }: RecoveryOptions): Promise<boolean> {
  // An item still travelling to its bin may be what the controller sees: its drop settles it, not a return.
  if (busy() || custody.hasItemInTransit) return false;
  let occupied: boolean | null;
  try {
    occupied = await tracking.intakeOccupied();
  } catch (err) {
    log.warn('could not ask the controller whether the intake holds an item', { error: String(err) });
    return false;
  }
  if (occupied === false) onIntakeClear?.('the intake was found empty when the controller link came up');
  // The pipeline may have taken an item while we asked (its item-present event came first on the wire).
  if (!occupied || busy() || custody.hasItemInTransit) return false;
  const detail = `an item was left in the intake (no item in progress) at ${new Date().toISOString()}; it was handed back`;
  log.warn('an item was left in the intake with no item in progress (e.g. after a crash): handing it back');
  try {
    await machine.returnItem();
  } catch (err) {
    log.error('could not hand back the item left in the intake', { error: String(err) });
    return false;
  }
  onItemReturned?.(detail);
  onIntakeClear?.('the item left in the intake was handed back');
  return true;
}
