/**
 * The handshake's `policy`, beyond the bin threshold (wire-server-link.ts) and the confidence threshold:
 * - `is_maintenance_mode`: true takes the machine out of service with reason `server_maintenance`; a later
 *   handshake saying false clears it (absent: left as it is). A session already running is not cut short.
 * - `camera_idle_timeout_sec`: with no session for that long the camera is put to sleep (the device released,
 *   no `camera_unavailable`); a session start wakes it, so it is warm before the first item. 0 or absent: never.
 * - `motor_speed_delay` (seconds per stepper step): to the controller (SET, protocol 2; src/hardware/motor-delay.ts).
 * Each handshake applies the policy again, so a change on the server lands at the next handshake.
 */
import type { HandshakeInfo } from '../server/handshake-runner.js';
import { createLogger } from '../log/logger.js';
import type { SessionPhase } from '../domain/events.js';
import type { KioskContext } from './context.js';

const log = createLogger('app.policy');

export const SERVER_MAINTENANCE = 'server_maintenance';

export interface CameraPower {
  sleep(): void;
  wake(): void;
}

export interface PolicyTargets {
  /** Absent: no camera to put to sleep (the idle timeout is then ignored). */
  camera: CameraPower | undefined;
  machine: { setMotorDelay(seconds: number): Promise<void> };
}

/** Anything that announces handshakes (the ServerLink; a late listener gets the latest at once). */
export interface HandshakeSource {
  onHandshake(listener: (info: HandshakeInfo) => void): () => void;
}

export function applyPolicy(ctx: KioskContext, link: HandshakeSource | null, targets: PolicyTargets): void {
  if (!link) return;
  const idle = new CameraIdle(targets.camera ?? { sleep: () => undefined, wake: () => undefined });
  const offPhase = ctx.bus.on('session.phase', ({ phase }) => idle.phase(phase));
  const offHandshake = link.onHandshake((info) => {
    const policy = info.policy ?? {};
    if (policy.is_maintenance_mode === true) {
      if (!ctx.status.has(SERVER_MAINTENANCE)) log.warn('the server put this machine in maintenance mode: out of service');
      ctx.status.raise(SERVER_MAINTENANCE, 'maintenance mode set on the server (handshake policy.is_maintenance_mode)');
    } else if (policy.is_maintenance_mode === false && ctx.status.has(SERVER_MAINTENANCE)) {
      log.info('the server ended maintenance mode: back in service');
      ctx.status.clear(SERVER_MAINTENANCE);
    }
    idle.setTimeout(policy.camera_idle_timeout_sec ?? null);
    if (policy.motor_speed_delay !== undefined) void targets.machine.setMotorDelay(policy.motor_speed_delay);
  });
  ctx.core.onDispose(() => {
    offHandshake();
    offPhase();
    idle.dispose();
  });
}

/**
 * Sleeps the camera after `timeoutSec` without a session; any phase but idle wakes it at once. A new timeout
 * from the server re-arms the wait from now.
 */
export class CameraIdle {
  private timeoutMs: number | null = null;
  private idle = true;
  private timer: NodeJS.Timeout | null = null;
  private asleep = false;

  constructor(private readonly camera: CameraPower) {}

  setTimeout(seconds: number | null): void {
    const ms = seconds !== null && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
    if (ms === this.timeoutMs) return;
    this.timeoutMs = ms;
    if (ms === null) this.setAwake();
    this.arm();
  }

  phase(phase: SessionPhase): void {
    this.idle = phase === 'idle';
    if (!this.idle) this.setAwake();
    this.arm();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.idle || this.timeoutMs === null || this.asleep) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.asleep = true;
      log.info('no session for a while: the camera sleeps', { afterSec: (this.timeoutMs ?? 0) / 1000 });
      this.camera.sleep();
    }, this.timeoutMs);
    this.timer.unref();
  }

  private setAwake(): void {
    if (!this.asleep) return;
    this.asleep = false;
    this.camera.wake();
  }
}
