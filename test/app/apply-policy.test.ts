/**
 * The handshake policy: maintenance mode in and out of service, the camera's idle sleep on the server's
 * timeout (fake timers: time is the logic), and the motor delay handed to the machine.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPolicy, CameraIdle, SERVER_MAINTENANCE, type HandshakeSource } from '../../src/app/apply-policy.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { HandshakeInfo } from '../../src/server/handshake-runner.js';
import { testContext } from '../helpers/context.js';

type Policy = NonNullable<HandshakeInfo['policy']>;

function fakeLink(): HandshakeSource & { handshake(policy: Policy | undefined): void } {
  const listeners = new Set<(info: HandshakeInfo) => void>();
  return {
    onHandshake: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    handshake: (policy) => {
      const info = { uuid: 'u', rvmId: 1, name: null, timezone: 'Asia/Jakarta', websocket: undefined, policy, aiModel: undefined } as HandshakeInfo;
      for (const l of listeners) l(info);
    },
  };
}

function setup() {
  const ctx = testContext(kioskConfig.parse({ dataDir: '/tmp/unused-policy' }));
  ctx.status.markStarted();
  const link = fakeLink();
  const camera = { sleep: vi.fn(), wake: vi.fn() };
  const machine = { setMotorDelay: vi.fn(async (_seconds: number) => undefined) };
  applyPolicy(ctx, link, { camera, machine });
  return { ctx, link, camera, machine };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('handshake policy', () => {
  it('is_maintenance_mode takes the machine out of service and a later false puts it back', () => {
    const { ctx, link } = setup();
    link.handshake({ is_maintenance_mode: true });
    expect(ctx.status.state).toBe('out_of_service');
    expect(ctx.status.has(SERVER_MAINTENANCE)).toBe(true);
    // A handshake without the field changes nothing; false clears it.
    link.handshake({});
    expect(ctx.status.has(SERVER_MAINTENANCE)).toBe(true);
    link.handshake({ is_maintenance_mode: false });
    expect(ctx.status.state).toBe('ready');
  });

  it('the status the screens get names server_maintenance (translated in codes.json)', () => {
    const { ctx, link } = setup();
    link.handshake({ is_maintenance_mode: true });
    expect(ctx.core.current('system.status')?.reasons.map((r: { code: string }) => r.code)).toContain(SERVER_MAINTENANCE);
  });

  it("hands the motor speed delay to the machine, each handshake, and nothing when the server sends none", () => {
    const { link, machine } = setup();
    link.handshake({ motor_speed_delay: 0.005 });
    link.handshake({});
    expect(machine.setMotorDelay.mock.calls).toEqual([[0.005]]);
  });

  it('sleeps the camera after camera_idle_timeout_sec without a session and wakes it on session start', () => {
    vi.useFakeTimers();
    const { ctx, link, camera } = setup();
    link.handshake({ camera_idle_timeout_sec: 60 });
    vi.advanceTimersByTime(59_000);
    expect(camera.sleep).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(camera.sleep).toHaveBeenCalledTimes(1);
    ctx.bus.emit('session.phase', { phase: 'active', sessionId: 's1' });
    expect(camera.wake).toHaveBeenCalledTimes(1);
    // A session never sleeps the camera, however long it runs.
    vi.advanceTimersByTime(600_000);
    expect(camera.sleep).toHaveBeenCalledTimes(1);
    ctx.bus.emit('session.phase', { phase: 'idle', sessionId: null });
    vi.advanceTimersByTime(60_000);
    expect(camera.sleep).toHaveBeenCalledTimes(2);
  });
});

describe('CameraIdle', () => {
  it('never sleeps with 0 or no timeout, and wakes a sleeping camera when the timeout is taken away', () => {
    vi.useFakeTimers();
    const camera = { sleep: vi.fn(), wake: vi.fn() };
    const idle = new CameraIdle(camera);
    idle.setTimeout(0);
    vi.advanceTimersByTime(3_600_000);
    expect(camera.sleep).not.toHaveBeenCalled();
    idle.setTimeout(10);
    vi.advanceTimersByTime(10_000);
    expect(camera.sleep).toHaveBeenCalledTimes(1);
    idle.setTimeout(null);
    expect(camera.wake).toHaveBeenCalledTimes(1);
    idle.dispose();
  });
});
