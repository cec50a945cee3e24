/**
 * Whether the intake beam cleared since an item arrived. Watched from the item-present event until the item
 * ends (then `stop()`, so no listener outlives the item). An item whose intake cleared without a drop into
 * its bin was taken back by the recycler; one whose intake never cleared is still there to hand back.
 */
import type { MachinePort } from '../domain/ports.js';

export interface IntakeWatch {
  readonly cleared: boolean;
  stop(): void;
}

export function watchIntake(machine: MachinePort): IntakeWatch {
  let cleared = false;
  const off = machine.on('itemRemoved', () => (cleared = true));
  return {
    get cleared() {
      return cleared;
    },
    stop: off,
  };
}
