/**
 * Hardware commands an operator sends from the dashboard over realtime (`hardware.command`, the names of the
 * server's maintenance commands) run on the machine here: door, motor, LEDs, sensors, connection and model
 * checks. Moving parts never run under a recycler's hands: those wait until no session is active. The
 * heartbeat's RESTART / GIT_PULL are handled by restart-request.ts, not here.
 */
import type { RequestOf } from '../contract/index.js';
import { createLogger } from '../log/logger.js';
import type { KioskContext } from './context.js';

const log = createLogger('app.remote');

type HardwareAction = RequestOf<'hardware.test'>['action'];

/** Server command name → what the kiosk does. */
export const REMOTE_ACTIONS: Record<string, { hardware: HardwareAction } | { run: 'testConnection' | 'checkModelUpdate' }> = {
  open_door: { hardware: 'door_unlock' },
  close_door: { hardware: 'door_lock' },
  test_motor: { hardware: 'conveyor' },
  test_led: { hardware: 'lights' },
  test_sensor: { hardware: 'ping' },
  check_connection: { run: 'testConnection' },
  check_model_update: { run: 'checkModelUpdate' },
};

export function wireRemoteCommands({ core, bus }: Pick<KioskContext, 'core' | 'bus'>): () => void {
  const waiting: Array<{ id: string; action: HardwareAction }> = [];
  let idle = true;

  const runHardware = (id: string, action: HardwareAction) => {
    core
      .call('hardware.test', { action })
      .then((result) => log.info('remote hardware command done', { id, action, ok: result.ok, detail: result.detail }))
      .catch((err: Error) => log.warn('remote hardware command failed', { id, action, error: err.message }));
  };

  const offPhase = bus.on('session.phase', ({ phase }) => {
    idle = phase === 'idle';
    if (idle) for (const next of waiting.splice(0)) runHardware(next.id, next.action);
  });
  const offCommand = bus.on('server.command', (command) => {
    if (command.source !== 'realtime') return;
    const action = REMOTE_ACTIONS[command.command];
    if (!action) {
      log.warn('unknown remote command ignored', { id: command.id, command: command.command });
      return;
    }
    if ('run' in action) {
      const run = action.run === 'testConnection' ? core.call('server.testConnection', {}) : core.call('detection.checkModelUpdate', {});
      run.then((result) => log.info('remote command done', { id: command.id, command: command.command, result })).catch((err: Error) => log.warn('remote command failed', { id: command.id, error: err.message }));
    } else if (idle) {
      runHardware(command.id, action.hardware);
    } else {
      log.info('remote hardware command waits for the session to end', { id: command.id, command: command.command });
      waiting.push({ id: command.id, action: action.hardware });
    }
  });
  return () => {
    offPhase();
    offCommand();
  };
}
