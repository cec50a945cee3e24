/** The camera the configuration asks for. Demo mode always uses the shipped demo photos. */
import type { CameraConfig } from '../config.js';
import { shippedCameraDir } from '../shipped-assets.js';
import type { CameraSource } from './camera-source.js';
import { FfmpegCamera, v4l2InputArgs } from './ffmpeg-camera.js';
import { FolderCamera } from './folder-camera.js';

export function createCamera(config: CameraConfig, demo: boolean): CameraSource {
  if (demo || config.kind === 'folder') return new FolderCamera((!demo && config.kind === 'folder' && config.dir) || shippedCameraDir());
  const camera = new FfmpegCamera({
    ffmpegPath: config.ffmpegPath,
    inputArgs: v4l2InputArgs(config),
    passthroughMjpeg: config.inputFormat === 'mjpeg',
    stallMs: config.stallMs,
    origin: config.device,
  });
  // Open the device at start-up, so a missing camera shows on the status board before the first item.
  camera.start();
  return camera;
}
