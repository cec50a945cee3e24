/** The camera gives a frame (demo mode: the shipped photos), within detection.captureTimeoutMs. */
import sharp from 'sharp';
import type { Frame } from '../../detection/camera/camera-source.js';
import { createCamera } from '../../detection/camera/create-camera.js';
import { errorText, fail, ok, type CheckResult, type DoctorContext } from './types.js';

const ID = 'camera';
const TITLE = 'camera';

export async function checkCamera({ config }: DoctorContext): Promise<{ result: CheckResult; frame: Frame | null }> {
  const det = config.detection;
  const camera = createCamera(det.camera, det.mode === 'demo');
  const started = performance.now();
  try {
    const frame = await camera.capture(det.captureTimeoutMs);
    const ms = Math.round(performance.now() - started);
    const meta = await sharp(frame.image).metadata().catch(() => null);
    const size = meta?.width && meta.height ? `${meta.width}×${meta.height} ` : '';
    const source = det.mode === 'demo' ? 'demo photos' : det.camera.kind === 'v4l2' ? det.camera.device : `folder ${det.camera.dir ?? '(shipped photos)'}`;
    return { result: ok(ID, TITLE, `${source}: ${size}${frame.mime.replace('image/', '').toUpperCase()} frame (${frame.origin}) in ${ms} ms`, ms), frame };
  } catch (err) {
    const fix =
      det.camera.kind === 'v4l2'
        ? `check the USB camera and detection.camera.device (v4l2-ctl --list-devices; prefer /dev/v4l/by-id/...), that ffmpeg is installed, and that the user is in the video group (sudo usermod -aG video $USER); a running kiosk holds the camera: systemctl --user stop rvm-kiosk first`
        : 'put .jpg or .png photos in detection.camera.dir, or remove it to use the shipped demo photos';
    return { result: fail(ID, TITLE, `no frame: ${errorText(err)}`, fix), frame: null };
  } finally {
    await camera.close().catch(() => undefined);
  }
}
