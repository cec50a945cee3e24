/**
 * An item the machine could not hand back (the return move failed: blocked chute, link down). The machine
 * then goes out of service with reason `item_stuck` and an error line in the log — never a silent wait —
 * until the intake is known to be clear: the controller reports the beam clear (someone took the item out,
 * or a later move carried it off), or the link-up recovery finds the intake empty or hands the item back
 * (src/session/custody/machine-recovery.ts).
 */
import type { MachinePort } from '../domain/ports.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('deposit');

export const ITEM_STUCK = 'item_stuck';

export interface StuckAlarms {
  raise(code: string, detail?: string): void;
  clear(code: string): void;
}

export class StuckItemAlarm {
  private stuckSince: number | null = null;
  private readonly off: () => void;

  constructor(machine: MachinePort, private readonly alarms: StuckAlarms) {
    this.off = machine.on('itemRemoved', () => this.intakeClear('the controller reports the intake clear'));
  }

  get stuck(): boolean {
    return this.stuckSince !== null;
  }

  raise(detail: string): void {
    this.stuckSince ??= Date.now();
    log.error('an item could not be handed back and is stuck in the intake: out of service until it is cleared', { detail });
    this.alarms.raise(ITEM_STUCK, `${detail} (since ${new Date(this.stuckSince).toISOString()})`);
  }

  intakeClear(why: string): void {
    if (this.stuckSince === null) return;
    this.stuckSince = null;
    log.info('the stuck item is gone: back in service', { why });
    this.alarms.clear(ITEM_STUCK);
  }

  dispose(): void {
    this.off();
  }
}
