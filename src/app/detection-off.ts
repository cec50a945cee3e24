/**
 * `detection.mode: "off"`: no camera, no model, no worker thread — every item is classified by its weight
 * alone. It exists so a fleet benchmark (`npm run fleet`) can run hundreds of headless kiosk cores on one
 * computer: a core with the detector loaded takes ~140 MiB, one without a few MiB. It is never the default,
 * and the start line and the log say it is on; a real machine must not run like this (a PET-weight stone
 * would be paid as PET).
 *
 * The rule: the first of PET, can, glass whose weight window holds the weight; no weight reads as PET; a
 * weight outside every window is rejected as `weight_out_of_range`, as the real decision would.
 */
import { CommandError } from '../core/kiosk-core.js';
import type { Classification } from '../domain/ports.js';
import type { WeightWindows } from '../detection/config.js';
import type { DetectionState } from '../detection/detection-service.js';
import { idleSync } from '../detection/model-sync/model-sync.js';
import { createLogger } from '../log/logger.js';
import type { KioskContext } from './context.js';
import type { DetectionClassifier } from './setup-detection.js';

const log = createLogger('detection');

const ORDER = ['pet', 'can', 'glass'] as const;

export function classifyByWeight(weightGrams: number | undefined, windows: WeightWindows): Classification {
  if (weightGrams === undefined) return { accepted: true, material: 'pet', confidence: 1, detections: [] };
  const material = ORDER.find((m) => weightGrams >= windows[m].minGrams && weightGrams <= windows[m].maxGrams);
  if (!material) return { accepted: false, reason: 'weight_out_of_range', confidence: 1, detections: [] };
  return { accepted: true, material, confidence: 1, detections: [] };
}

export function setupDetectionOff(ctx: KioskContext): DetectionClassifier {
  const { weightWindows } = ctx.config.detection;
  let threshold = 1;
  let thresholdSource: DetectionState['thresholdSource'] = 'config';
  const state = (): DetectionState => ({
    status: 'ready',
    model: null,
    // The contract knows folder and v4l2 cameras only; the detail says there is none.
    camera: { kind: 'folder', status: 'unknown', detail: 'detection off: no camera, items classified by weight (fleet/bench runs only)' },
    lastInferenceMs: null,
    modelLoadMs: null,
    threshold,
    thresholdSource,
    canRollback: false,
    modelSync: idleSync,
  });
  ctx.core.handle('detection.status', () => state());
  const refuse = (): never => {
    throw new CommandError('failed', 'detection is off on this kiosk (fleet/bench mode): no camera and no model');
  };
  ctx.core.handle('detection.testCapture', refuse);
  ctx.core.handle('detection.checkModelUpdate', refuse);
  ctx.core.handle('detection.rollbackModel', refuse);
  ctx.core.handle('detection.selectPhoto', refuse);
  // No `detection.state` event: monitoring reads camera and model health from it, and a kiosk with neither by
  // design must not raise `model_missing` and go out of service a minute later. The command still answers.
  log.warn('detection OFF: no camera and no model; items are classified by weight alone (fleet/bench runs only)');
  return {
    classify: async (weight) => {
      const weightGrams = (await weight) ?? undefined;
      const result = classifyByWeight(weightGrams, weightWindows);
      ctx.core.emit('detection.result', { at: Date.now(), ...withoutImage(result), ...(weightGrams === undefined ? {} : { weightGrams }), detail: 'detection off' });
      return result;
    },
    // Nothing to download or threshold without a model; kept so the server's policy is taken without error.
    offerModel: () => undefined,
    setThreshold: (value) => {
      threshold = value ?? 1;
      thresholdSource = value === null ? 'config' : 'server';
    },
    setLocalThreshold: async (value) => {
      threshold = value ?? 1;
      thresholdSource = value === null ? 'config' : 'technician';
    },
    state,
  };
}

function withoutImage(result: Classification): Omit<Classification, 'image'> {
  const { image: _image, ...rest } = result;
  return rest;
}
