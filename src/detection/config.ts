import { z } from 'zod';

/** Grams an item of one material may weigh; outside the window it is rejected as `weight_out_of_range`. */
const weightWindow = (minGrams: number, maxGrams: number) =>
  z.object({ minGrams: z.number().min(0).default(minGrams), maxGrams: z.number().positive().default(maxGrams) }).strict().default({ minGrams, maxGrams });

const folderCamera = z.object({
  kind: z.literal('folder'),
  /** A folder of still images, served in name order and round again. Absent = the shipped demo images. */
  dir: z.string().optional(),
}).strict();

const v4l2Camera = z.object({
  kind: z.literal('v4l2'),
  /** Prefer a stable /dev/v4l/by-id/... path over /dev/videoN, which can change between boots. */
  device: z.string().default('/dev/video0'),
  width: z.number().int().positive().default(640),
  height: z.number().int().positive().default(480),
  fps: z.number().int().positive().default(15),
  /** `mjpeg` is passed through without re-encoding (cheap on the Jetson); `yuyv422` is encoded to JPEG. */
  inputFormat: z.enum(['mjpeg', 'yuyv422']).default('mjpeg'),
  ffmpegPath: z.string().default('ffmpeg'),
  /** No frame for this long while running = stalled: the camera is restarted and reported unavailable. */
  stallMs: z.number().int().positive().default(3000),
}).strict();

export const cameraConfig = z.discriminatedUnion('kind', [folderCamera, v4l2Camera]);

export const detectionConfig = z.object({
  /**
   * `demo`: shipped model + shipped demo images, whatever else is set. `model`: the settings below. `off`: no
   * camera and no model, every item classified by its weight alone (src/app/detection-off.ts) — for fleet and
   * benchmark runs only (`npm run fleet`), never the default; the start line says so.
   */
  mode: z.enum(['demo', 'model', 'off']).default('demo'),
  /** Path of a model manifest (JSON beside the .onnx). Absent = the shipped demo model. */
  manifest: z.string().optional(),
  camera: cameraConfig.default({ kind: 'folder' }),
  /** Wait after "item present" so the item stops rolling before the photo. */
  settleMs: z.number().int().min(0).default(150),
  captureTimeoutMs: z.number().int().positive().default(3000),
  /** A worker that does not answer in this time is terminated and the model reloaded. */
  inferenceTimeoutMs: z.number().int().positive().default(15_000),
  /** Overrides the manifest's default confidence threshold (a server policy overrides both). */
  threshold: z.number().min(0).max(1).optional(),
  /** onnxruntime intra-op threads; 2 suits the Jetson Nano/Orin Nano and our 2-core CI. */
  threads: z.number().int().min(1).max(16).default(2),
  weightWindows: z
    .object({ pet: weightWindow(5, 120), can: weightWindow(5, 60), glass: weightWindow(60, 1500) })
    .strict()
    .default({ pet: { minGrams: 5, maxGrams: 120 }, can: { minGrams: 5, maxGrams: 60 }, glass: { minGrams: 60, maxGrams: 1500 } }),
  modelSync: z
    .object({
      enabled: z.boolean().default(true),
      /** Retry after a transient failure (network, truncated download). Bad hashes are not retried. */
      retryMinutes: z.number().positive().default(5),
      maxBytes: z.number().int().positive().default(512 * 1024 * 1024),
      /** Manifest whose I/O spec, labels and materials a downloaded model inherits. Absent = the running model's. */
      manifestTemplate: z.string().optional(),
    })
    .strict()
    .default({ enabled: true, retryMinutes: 5, maxBytes: 512 * 1024 * 1024 }),
}).strict();

export type DetectionConfig = z.infer<typeof detectionConfig>;
export type CameraConfig = z.infer<typeof cameraConfig>;
export type WeightWindows = DetectionConfig['weightWindows'];
