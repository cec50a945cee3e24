/**
 * Give the item in the intake back to the recycler (the reject chute leads to their tray). Every failure once
 * an item is in the intake ends here; a hand-back that fails too is reported as stuck, so the machine goes
 * out of service instead of waiting silently with an item nobody can take.
 */
import type { MachinePort } from '../domain/ports.js';
import { machineFailureOf } from '../domain/machine-failure.js';
import { createLogger } from '../log/logger.js';

const log = createLogger('deposit');

/** True when the item was handed back; false (after telling `onStuck`) when the return move failed. */
export async function handBack(machine: MachinePort, why: string, onStuck: (detail: string) => void): Promise<boolean> {
  try {
    await machine.returnItem();
    return true;
  } catch (err) {
    const failure = machineFailureOf(err);
    const detail = `handing back an item (${why}) failed: ${failure.nakCode ? `NAK ${failure.nakCode}` : failure.message}`;
    log.error('could not hand the item back', { why, error: failure.message, nak: failure.nakCode });
    onStuck(detail);
    return false;
  }
}
