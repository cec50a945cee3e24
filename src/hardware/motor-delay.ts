/**
 * The server's `policy.motor_speed_delay` (seconds between stepper steps, e.g. 0.005) on its way to the
 * controller as `SET,motor_delay_us,<µs>` (protocol 2). The controller keeps it in RAM, so it is sent again
 * on every link-up (a reboot or a replug forgets it). A controller without SET (the legacy firmware) cannot
 * take it: that is logged once, and nothing is sent, so the legacy dialect behaves as before.
 */
import { createLogger } from '../log/logger.js';
import type { MachineDriver } from './driver/machine-driver.js';
import { isSettingValue } from './protocol/messages.js';

const log = createLogger('hardware');

export class MotorDelay {
  private wanted: number | null = null;
  private toldUnsupported = false;
  private readonly offState: () => void;

  constructor(private readonly driver: MachineDriver) {
    let wasUp = driver.state.status === 'connected';
    this.offState = driver.onState((state) => {
      const up = state.status === 'connected';
      if (up && !wasUp) void this.push();
      wasUp = up;
    });
  }

  /** The delay in microseconds the controller was last asked for; null when none (or the value was refused). */
  get microseconds(): number | null {
    return this.wanted;
  }

  /** Seconds, as the handshake sends it. An impossible value (negative, over 1 s, not a number) is ignored. */
  set(seconds: number): Promise<void> {
    const us = Math.round(seconds * 1_000_000);
    if (!Number.isFinite(seconds) || !isSettingValue('motor_delay_us', us)) {
      log.warn('the server sent a motor speed delay the controller cannot take; ignored', { seconds });
      return Promise.resolve();
    }
    if (us === this.wanted) return Promise.resolve();
    this.wanted = us;
    return this.push();
  }

  dispose(): void {
    this.offState();
  }

  private async push(): Promise<void> {
    const value = this.wanted;
    if (value === null) return;
    if (!this.driver.dialect.capabilities.ops.has('set')) {
      if (!this.toldUnsupported) log.info('the controller has no SET command (legacy firmware): the motor speed delay stays as built', { microseconds: value });
      this.toldUnsupported = true;
      return;
    }
    if (this.driver.state.status !== 'connected') return; // sent on the next link-up
    try {
      await this.driver.send({ op: 'set', key: 'motor_delay_us', value });
      log.info('motor speed delay set on the controller', { microseconds: value });
    } catch (err) {
      log.warn('the controller did not take the motor speed delay; it is sent again on the next link-up', { microseconds: value, error: String(err) });
    }
  }
}
