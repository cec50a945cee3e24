/**
 * Item detection: the running model and camera (`detection.state`), the last classification
 * (`detection.result`, without the photo), and the technician's commands: status, a test capture that
 * classifies whatever is in front of the camera now, a model-update check and a rollback.
 */
import { z } from 'zod';
import { command, technicianCommand } from './define.js';

export const RejectReasonSchema = z.enum([
  'nothing_seen',
  'low_confidence',
  'multiple_objects',
  'not_a_container',
  'weight_out_of_range',
  'camera_unavailable',
  'detector_error',
]);

export const ModelSyncState = z.object({
  phase: z.enum(['idle', 'up_to_date', 'downloading', 'verifying', 'trial', 'swapped', 'failed']),
  targetVersion: z.string().nullable(),
  receivedBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0).nullable(),
  /**
   * `needs_user_token`: the download answered Sanctum's bare 401 (today's MyRVM-Server wants a user token a
   * device never holds); retried at the next handshake only. `not_onnx`: a `.pt` file or bytes that are not
   * an ONNX model (see docs/detection.md for converting one).
   */
  failure: z
    .enum(['http_error', 'needs_user_token', 'not_onnx', 'truncated', 'too_large', 'hash_mismatch', 'install_failed', 'load_failed', 'trial_failed'])
    .optional(),
  /** Why, in words, for the technician screen and the logs. */
  detail: z.string().optional(),
});

export const DetectionState = z.object({
  status: z.enum(['loading', 'ready', 'error']),
  error: z.string().optional(),
  model: z.object({ name: z.string(), version: z.string(), sha256: z.string(), source: z.enum(['base', 'synced']) }).nullable(),
  camera: z.object({
    kind: z.enum(['folder', 'v4l2']),
    status: z.enum(['unknown', 'ok', 'unavailable']),
    detail: z.string().optional(),
  }),
  lastInferenceMs: z.number().nullable(),
  modelLoadMs: z.number().nullable(),
  threshold: z.number().min(0).max(1),
  /** server (`rvms/{id}/config`) > technician (set on this machine) > config (`detection.threshold`) > manifest (the model's default). */
  thresholdSource: z.enum(['manifest', 'config', 'technician', 'server']),
  canRollback: z.boolean(),
  modelSync: ModelSyncState,
});

export const DetectionResult = z.object({
  at: z.number(),
  accepted: z.boolean(),
  material: z.enum(['pet', 'can', 'glass']).optional(),
  reason: RejectReasonSchema.optional(),
  confidence: z.number(),
  detections: z.array(z.object({ label: z.string(), score: z.number(), box: z.tuple([z.number(), z.number(), z.number(), z.number()]) })),
  weightGrams: z.number().optional(),
  /** The photo's file name or camera device. */
  origin: z.string().optional(),
  timings: z
    .object({ captureMs: z.number(), preprocessMs: z.number(), inferenceMs: z.number(), postprocessMs: z.number(), totalMs: z.number() })
    .optional(),
  detail: z.string().optional(),
});

/**
 * What a technician may set: near 0 any shape counts as a container, near 1 no real bottle passes; a slip of
 * the finger must not do either. The server's own value may be anything in 0..1 (its admin decides).
 */
export const TECHNICIAN_THRESHOLD = { min: 0.05, max: 0.95 } as const;

export const SetThresholdReply = z.object({
  state: DetectionState,
  /** saved: the server took it (`PATCH rvms/{id}/config`); not_offered: this machine only; failed: see detail. */
  server: z.enum(['saved', 'not_offered', 'failed']),
  detail: z.string().optional(),
});

export const detectionCommands = {
  'detection.status': command(z.object({}).strict(), DetectionState),
  /** Technician: photograph and classify now; the reply carries a small JPEG preview of the photo. */
  'detection.testCapture': technicianCommand(z.object({}).strict(), DetectionResult.extend({ preview: z.string().optional() })),
  'detection.checkModelUpdate': technicianCommand(
    z.object({}).strict(),
    z.object({
      outcome: z.enum(['no_announcement', 'up_to_date', 'started', 'in_progress']),
      targetVersion: z.string().optional(),
      modelSync: ModelSyncState,
    }),
  ),
  'detection.rollbackModel': technicianCommand(z.object({}).strict(), DetectionState),
  /**
   * Technician: a confidence threshold applied at once (persisted on this machine) and sent to the server where
   * it offers `PATCH rvms/{id}/config`; null drops the machine's own value. Outside TECHNICIAN_THRESHOLD:
   * refused with `threshold_out_of_range`.
   */
  'detection.setThreshold': technicianCommand(z.object({ value: z.number().finite().nullable() }).strict(), SetThresholdReply),
  /** Folder camera only (demo, tests): show this photo at the next capture, so a demo item looks like itself. */
  'detection.selectPhoto': command(
    z.object({ file: z.string().regex(/^[\w.-]+\.(jpe?g|png)$/i, 'a photo file name in the camera folder') }).strict(),
    z.object({ file: z.string() }),
  ),
} as const;

export const detectionEvents = {
  'detection.state': DetectionState,
  'detection.result': DetectionResult,
} as const;
