/**
 * The camera's idle sleep (the server's camera_idle_timeout_sec, src/app/apply-policy.ts) with a real ffmpeg:
 * asleep, the process is gone and the device free, with no health change (no camera_unavailable) and no
 * restart; awake (or asked for a frame), it delivers again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraHealth } from '../../../src/detection/camera/camera-source.js';
import { FfmpegCamera } from '../../../src/detection/camera/ffmpeg-camera.js';
import { eventually } from '../../helpers/eventually.js';
import { requireTool } from '../../helpers/tools.js';

const ffmpeg = requireTool('ffmpeg');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!ffmpeg)('FfmpegCamera sleep and wake (needs ffmpeg)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('sleeps without reporting itself unavailable, and a wake or a capture brings frames back', async () => {
    const cam = new FfmpegCamera({
      ffmpegPath: ffmpeg!,
      inputArgs: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10'],
      passthroughMjpeg: false,
      // Long enough for a first frame on a loaded 2-core machine; the sleep below outlasts it.
      stallMs: 1_500,
      origin: 'test',
      backoff: { firstMs: 50, factor: 2, maxMs: 50, jitter: false },
    });
    cleanup.push(() => cam.close());
    const health: CameraHealth[] = [];
    cam.onHealth((h) => health.push(h));
    await cam.capture(5000);
    const firstPid = cam.pid!;
    cam.sleep();
    expect(cam.pid).toBeUndefined();
    await eventually(() => !alive(firstPid), { what: 'the ffmpeg process to exit' });
    // Longer than the stall watchdog and the restart backoff: neither may wake it or call it broken.
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(cam.pid).toBeUndefined();
    expect(health).toEqual([{ ok: true }]);
    cam.wake();
    await eventually(() => cam.pid !== undefined && cam.pid !== firstPid, { what: 'a new ffmpeg after the wake' });
    expect((await cam.capture(5000)).mime).toBe('image/jpeg');
    // A capture while asleep wakes it by itself.
    cam.sleep();
    expect((await cam.capture(5000)).mime).toBe('image/jpeg');
    expect(health).toEqual([{ ok: true }]);
  }, 20_000);
});
