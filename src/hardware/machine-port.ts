/**
 * The session flow's view of the machine (MachinePort + MachineTracking) on top of the driver. Sorting is
 * "gate, then conveyor": with rvm1 one `SORT,<bin>,<item>` command that carries the item id to its DROP,
 * resolving once the controller has the item on its way; the credit-bearing confirmation comes later as
 * `itemDropped(bin, itemId)` from the drop sensor. With the legacy firmware, which has no sensors and cannot
 * name items, the ACK of the sort is the only confirmation there is, so the drop is reported then, with the
 * id of the sort it answers.
 */
import type { Bin, MachineEvents, MachinePort, MachineTracking } from '../domain/ports.js';
import type { MachineDriver } from './driver/machine-driver.js';
import { MachineCommandError } from './driver/errors.js';
import { parseWhereabouts, type ControllerEvent, type MachineCommand } from './protocol/messages.js';

/**
 * A move refused as BUSY (the conveyor is still finishing a run, e.g. handing back the previous item) is
 * tried again shortly, for up to this long, instead of leaving the item stuck in the intake.
 */
const BUSY_RETRY_MS = 150;
const BUSY_WAIT_MS = 4_000;

type Listeners = { [E in keyof MachineEvents]: Set<MachineEvents[E]> };

export type TrackedMachinePort = MachinePort & MachineTracking;

export function createMachinePort(driver: MachineDriver): TrackedMachinePort {
  const listeners: Listeners = { itemPresent: new Set(), itemDropped: new Set(), weight: new Set(), itemRemoved: new Set() };
  const linkUp = new Set<() => void>();
  const capabilities = driver.dialect.capabilities;
  const tracksItems = capabilities.itemIds && capabilities.ops.has('sort') && capabilities.ops.has('where');

  const dropped = (bin: Bin, itemId: string | undefined) => {
    for (const l of listeners.itemDropped) {
      if (itemId === undefined) l(bin);
      else l(bin, itemId);
    }
  };

  driver.onEvent((event: ControllerEvent) => {
    if (event.type === 'item') for (const l of event.present ? listeners.itemPresent : listeners.itemRemoved) l();
    if (event.type === 'drop') dropped(event.bin, event.item);
    if (event.type === 'weight') for (const l of listeners.weight) l(event.grams);
  });

  let wasConnected = driver.state.status === 'connected';
  driver.onState((state) => {
    const connected = state.status === 'connected';
    if (connected && !wasConnected) for (const l of linkUp) l();
    wasConnected = connected;
  });

  const move = async (command: MachineCommand): Promise<void> => {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (;;) {
      try {
        await driver.send(command);
        return;
      } catch (err) {
        const busy = err instanceof MachineCommandError && err.code === 'nak' && err.nakCode === 'BUSY';
        if (!busy || Date.now() + BUSY_RETRY_MS > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      }
    }
  };

  const sortTo = async (bin: Bin, itemId?: string): Promise<void> => {
    if (itemId !== undefined && tracksItems) {
      await move({ op: 'sort', bin, item: itemId });
      return;
    }
    await move({ op: 'gate', bin });
    if (capabilities.ops.has('conveyor')) await driver.send({ op: 'conveyor', run: true });
    if (!capabilities.events) dropped(bin, itemId);
  };

  return {
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => void set.delete(listener);
    },
    sortTo,
    // One unnamed SORT where there is one: a belt machine (protocol 3) pushes the item back out of the intake
    // while earlier items still ride the belt, where a GATE move would be refused as BUSY until they dropped.
    returnItem: () => (tracksItems ? move({ op: 'sort', bin: 'reject', item: null }) : sortTo('reject')),
    setDoorLocked: async (locked) => {
      await driver.send({ op: 'door', locked });
    },
    tracksItems,
    get connected() {
      return driver.state.status === 'connected';
    },
    async whereIs(itemId) {
      if (!tracksItems) return null;
      const data = await driver.send({ op: 'where', item: itemId });
      const where = parseWhereabouts(data);
      if (!where) throw new Error(`the controller's WHERE reply makes no sense: ${JSON.stringify(data)}`);
      return where;
    },
    async intakeOccupied() {
      if (!capabilities.ops.has('status')) return null;
      const data = await driver.send({ op: 'status' });
      return data.item === '1';
    },
    onLinkUp(listener) {
      linkUp.add(listener);
      return () => void linkUp.delete(listener);
    },
  };
}
