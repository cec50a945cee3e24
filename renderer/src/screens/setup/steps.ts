import type { PayloadOf } from '../../../../src/contract/index.js';

type SetupState = PayloadOf<'setup.state'>;
export type Step = SetupState['step'];

export const STEPS: readonly Step[] = ['credentials', 'connection', 'serial', 'camera', 'pin', 'done'];

/**
 * Whether the installer may go on from a step. Credentials and the PIN are required; the connection and the
 * serial port must have answered once, so a machine is never finished with a server or port that does not
 * work. The camera step only shows a frame (a camera can be fixed later from maintenance).
 */
export function canLeave(step: Step, state: SetupState | null): boolean {
  if (!state) return false;
  switch (step) {
    case 'credentials':
      return state.credentials.present;
    case 'connection':
      return state.connection.result === 'ok';
    case 'serial':
      return state.serial.ping === 'ok';
    case 'camera':
      return true;
    case 'pin':
      return state.installerPin;
    case 'done':
      return false;
  }
}
