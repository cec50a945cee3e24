import { afterEach, describe, expect, it, vi } from 'vitest';
import { CameraUnavailableError, type CameraSource, type Frame } from '../../../src/detection/camera/camera-source.js';
import { CaptureTrigger } from '../../../src/detection/camera/capture-trigger.js';

/** A unit-level stand-in camera that numbers its photos, or never answers. */
function fakeCamera(hang = false): CameraSource & { calls: number } {
  const cam = {
    kind: 'folder' as const,
    calls: 0,
    capture: (): Promise<Frame> => {
      cam.calls++;
      if (hang) return new Promise(() => undefined);
      return Promise.resolve({ image: Buffer.from([cam.calls]), mime: 'image/jpeg', capturedAt: Date.now(), origin: `photo-${cam.calls}` });
    },
    onHealth: () => () => undefined,
    close: async () => undefined,
  };
  return cam;
}

describe('CaptureTrigger', () => {
  afterEach(() => vi.useRealTimers());

  it('photographs only after the settle delay, and classify gets that photo', async () => {
    vi.useFakeTimers();
    const camera = fakeCamera();
    const trigger = new CaptureTrigger(camera, { settleMs: 150, timeoutMs: 1000 });
    trigger.itemPresent();
    await vi.advanceTimersByTimeAsync(149);
    expect(camera.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(camera.calls).toBe(1);
    expect((await trigger.take()).origin).toBe('photo-1');
    expect(camera.calls).toBe(1);
  });

  it('takes a new photo when the triggered one belongs to an earlier item, or there was no trigger', async () => {
    let now = 0;
    const camera = fakeCamera();
    const trigger = new CaptureTrigger(camera, { settleMs: 0, timeoutMs: 1000, maxAgeMs: 5000, now: () => now });
    vi.useFakeTimers();
    trigger.itemPresent();
    await vi.advanceTimersByTimeAsync(0); // the settle delay passes: the triggered photo (photo-1) is taken
    expect(camera.calls).toBe(1);
    now = 6000;
    expect((await trigger.take()).origin).toBe('photo-2');
    expect((await trigger.take()).origin).toBe('photo-3');
  });

  it('gives up on a camera that never answers, with CameraUnavailableError', async () => {
    vi.useFakeTimers();
    const trigger = new CaptureTrigger(fakeCamera(true), { settleMs: 0, timeoutMs: 1000 });
    const photo = trigger.capture().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1300);
    expect(await photo).toBeInstanceOf(CameraUnavailableError);
  });
});
