/** Machine controller link: simulator over a pty in demo mode, a serial port otherwise. (Stub until the hardware work lands.) */
import type { MachinePort } from '../session/ports.js';
import type { KioskContext } from './context.js';

export async function setupHardware(_ctx: KioskContext): Promise<MachinePort> {
  return {
    on: () => () => undefined,
    sortTo: async () => undefined,
    returnItem: async () => undefined,
    setDoorLocked: async () => undefined,
  };
}
