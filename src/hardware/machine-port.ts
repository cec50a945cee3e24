/**
 * The session flow's view of the machine (MachinePort) on top of the driver. Sorting is "gate, then
 * conveyor": the promise resolves once the controller has ACKed both, and the credit-bearing confirmation
 * comes later as `itemDropped` from the drop sensor. With the legacy firmware, which has no sensors, the
 * ACK of the sort is the only confirmation there is, so the drop is reported then.
 */
import type { Bin, MachineEvents, MachinePort } from '../domain/ports.js';
import type { MachineDriver } from './driver/machine-driver.js';
import type { ControllerEvent } from './protocol/messages.js';

type Listeners = { [E in keyof MachineEvents]: Set<MachineEvents[E]> };

export function createMachinePort(driver: MachineDriver): MachinePort {
  const listeners: Listeners = { itemPresent: new Set(), itemDropped: new Set(), weight: new Set() };
  const capabilities = driver.dialect.capabilities;

  driver.onEvent((event: ControllerEvent) => {
    if (event.type === 'item' && event.present) for (const l of listeners.itemPresent) l();
    if (event.type === 'drop') for (const l of listeners.itemDropped) l(event.bin);
    if (event.type === 'weight') for (const l of listeners.weight) l(event.grams);
  });

  const sortTo = async (bin: Bin): Promise<void> => {
    await driver.send({ op: 'gate', bin });
    if (capabilities.ops.has('conveyor')) await driver.send({ op: 'conveyor', run: true });
    if (!capabilities.events) for (const l of listeners.itemDropped) l(bin);
  };

  return {
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => void set.delete(listener);
    },
    sortTo,
    returnItem: () => sortTo('reject'),
    setDoorLocked: async (locked) => {
      await driver.send({ op: 'door', locked });
    },
  };
}
