/**
 * The USB camera path with a real ffmpeg child process. There is no /dev/video here, so frames come from
 * ffmpeg's lavfi test source; a missing device is a real V4L2 open failure, and a stall is ffmpeg blocked on
 * a FIFO nobody writes to.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraUnavailableError, type CameraHealth } from '../../../src/detection/camera/camera-source.js';
import { FfmpegCamera, v4l2InputArgs, type FfmpegCameraOptions } from '../../../src/detection/camera/ffmpeg-camera.js';
import { tempDir } from '../../helpers/detection.js';
import { eventually } from '../../helpers/eventually.js';
import { requireTool } from '../../helpers/tools.js';

const ffmpeg = requireTool('ffmpeg');

describe.skipIf(!ffmpeg)('FfmpegCamera (needs ffmpeg)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function camera(options: Partial<FfmpegCameraOptions> & Pick<FfmpegCameraOptions, 'inputArgs'>) {
    const cam = new FfmpegCamera({ ffmpegPath: ffmpeg!, passthroughMjpeg: false, stallMs: 3000, origin: 'test', backoff: { firstMs: 200, factor: 2, maxMs: 200, jitter: false }, ...options });
    const health: CameraHealth[] = [];
    cam.onHealth((h) => health.push(h));
    cleanup.push(() => cam.close());
    return { cam, health };
  }

  const testSource = (extra = '') => ['-re', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=10${extra}`];

  it('delivers fresh JPEG frames from a running ffmpeg, each taken after the capture was asked for', async () => {
    const { cam, health } = camera({ inputArgs: testSource() });
    const first = await cam.capture(5000);
    const asked = Date.now();
    const second = await cam.capture(5000);
    expect(first.mime).toBe('image/jpeg');
    const meta = await sharp(second.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
    expect(second.capturedAt).toBeGreaterThanOrEqual(asked);
    expect(health).toEqual([{ ok: true }]);
  });

  it('fails fast with the reason when the V4L2 device does not exist', async () => {
    const device = '/dev/video-rvm-test-missing';
    const { cam, health } = camera({ inputArgs: v4l2InputArgs({ device, width: 640, height: 480, fps: 15, inputFormat: 'mjpeg' }), origin: device });
    const error = await cam.capture(10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CameraUnavailableError);
    expect((error as Error).message).toMatch(/video-rvm-test-missing.*(No such file|exited)/);
    expect(health[0]).toMatchObject({ ok: false });
  });

  it('reports a camera that stops delivering as stalled, and restarts it', async () => {
    const t = tempDir();
    cleanup.push(t.remove);
    const fifo = path.join(t.dir, 'camera.fifo');
    execFileSync('mkfifo', [fifo]);
    const { cam, health } = camera({ inputArgs: ['-f', 'mjpeg', '-i', fifo], stallMs: 300 });
    await expect(cam.capture(200)).rejects.toThrow(/no frame from test within 200 ms/);
    const stuckPid = cam.pid;
    await eventually(() => health.some((h) => !h.ok && /stalled/.test(h.detail)), { what: 'a stalled health report' });
    expect(health.every((h) => !h.ok)).toBe(true);
    await eventually(() => cam.pid !== undefined && cam.pid !== stuckPid, { what: 'a restarted ffmpeg (new pid)' });
  });

  it('comes back by itself after ffmpeg exits (camera replugged)', async () => {
    const { cam, health } = camera({ inputArgs: testSource(':duration=0.5') });
    await cam.capture(5000);
    await eventually(() => health.length >= 3, { what: 'ok, failed, ok health reports' });
    expect(health.slice(0, 3).map((h) => h.ok)).toEqual([true, false, true]);
    expect((await cam.capture(5000)).mime).toBe('image/jpeg');
  });

  it('stops its ffmpeg process on close', async () => {
    const { cam } = camera({ inputArgs: testSource() });
    await cam.capture(5000);
    const pid = cam.pid!;
    await cam.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(cam.capture(100)).rejects.toThrow(/closed/);
  });
});
