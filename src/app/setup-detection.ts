/**
 * Item detection: camera + ONNX detector (worker thread) + decision, wired to the core. Demo mode runs the
 * shipped CenterNet model on the shipped photos. The returned classifier also takes the server's model
 * announcement (handshake `data.ai_model`, see fromHandshake) and a server confidence threshold.
 */
import sharp from 'sharp';
import { backoffDelay } from '../core/backoff.js';
import { CommandError } from '../core/kiosk-core.js';
import { FolderCamera } from '../detection/camera/folder-camera.js';
import { createDetection } from '../detection/create-detection.js';
import type { ModelAnnouncement } from '../detection/model-sync/announcement.js';
import type { ModelSource } from '../detection/model-sync/model-sync.js';
import type { DetectionState } from '../detection/detection-service.js';
import { createLogger } from '../log/logger.js';
import type { ItemClassifier, MachinePort } from '../domain/ports.js';
import type { KioskContext } from './context.js';
import { setupDetectionOff } from './detection-off.js';

export { fromHandshake, fromModelSyncReply } from '../detection/model-sync/announcement.js';

const log = createLogger('detection');

export interface DetectionClassifier extends ItemClassifier {
  /** The server's model announcement (null: none) and where to download from; updates run in the background. */
  offerModel(announcement: ModelAnnouncement | null, source?: ModelSource): void;
  /** Confidence threshold from a server policy; null goes back to the technician's, config or manifest value. */
  setThreshold(value: number | null): void;
  /** A technician's threshold for this machine, saved before it applies (null drops it). */
  setLocalThreshold(value: number | null): Promise<void>;
  state(): DetectionState;
  /** The camera's power for the server's camera_idle_timeout_sec (src/app/apply-policy.ts); a no-op for a folder camera. */
  camera?: { sleep(): void; wake(): void };
}

export async function setupDetection(ctx: KioskContext, machine: MachinePort): Promise<DetectionClassifier> {
  const { config } = ctx;
  // Fleet and benchmark runs only: no camera, no model, classified by weight (detection-off.ts says why).
  if (config.detection.mode === 'off') return setupDetectionOff(ctx);
  const detection = await createDetection({
    config: config.detection,
    dataDir: config.dataDir,
    status: ctx.status,
    onState: (state) => {
      if (state.status === 'error') ctx.status.raise('detector_unavailable', state.error);
      if (state.status === 'ready') ctx.status.clear('detector_unavailable');
      ctx.core.emit('detection.state', state);
      ctx.bus.emit('detection.outcome', { kind: 'state', status: state.status });
    },
    onResult: (result) => {
      ctx.core.emit('detection.result', result);
      ctx.bus.emit('detection.outcome', { kind: 'result', reason: result.reason ?? null });
    },
  });
  const { service, runtime, sync } = detection;

  const stopTrigger = machine.on('itemPresent', () => detection.trigger.itemPresent());
  let announcement: ModelAnnouncement | null = null;
  let retry: NodeJS.Timeout | null = null;

  // Transient failures (network, truncated download) are retried; a bad hash, a model that does not run, a
  // non-ONNX file and a download that needs a user token are not: the next handshake (offerModel) tries again.
  const runSync = (force: boolean) => {
    if (!announcement || !config.detection.modelSync.enabled) return;
    if (retry) clearTimeout(retry);
    const checked = announcement;
    void sync.check(checked, { force }).then((outcome) => {
      // A newer announcement came while this check ran: its own check decides about retrying, not this one.
      if (checked !== announcement) return;
      if (outcome.result === 'failed' && (outcome.failure === 'http_error' || outcome.failure === 'truncated')) {
        if (retry) clearTimeout(retry);
        // Equal jitter (core/backoff.ts): a fleet whose downloads failed together must not retry together.
        const ceilingMs = config.detection.modelSync.retryMinutes * 60_000;
        retry = setTimeout(() => runSync(false), backoffDelay(1, { firstMs: ceilingMs, factor: 1, maxMs: ceilingMs }));
        retry.unref();
      }
    });
  };

  ctx.core.handle('detection.status', () => service.state());
  ctx.core.handle('detection.testCapture', async () => {
    const { result, frame } = await service.testCapture();
    const preview = frame ? await previewOf(frame.image).catch(() => undefined) : undefined;
    return preview ? { ...result, preview } : result;
  });
  ctx.core.handle('detection.checkModelUpdate', () => {
    const modelSync = service.state().modelSync;
    if (!announcement) return { outcome: 'no_announcement', modelSync };
    const targetVersion = announcement.version;
    if (runtime.current?.model.manifest.sha256 === announcement.sha256) return { outcome: 'up_to_date', targetVersion, modelSync };
    if (sync.busy) return { outcome: 'in_progress', targetVersion, modelSync };
    runSync(true);
    return { outcome: 'started', targetVersion, modelSync: service.state().modelSync };
  });
  ctx.core.handle('detection.rollbackModel', async () => {
    if (sync.busy) throw new CommandError('model_update_running', 'a model update is running; try again when it has finished');
    try {
      await runtime.rollback();
    } catch (err) {
      throw new CommandError('rollback_failed', `rollback failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return service.state();
  });

  ctx.core.handle('detection.selectPhoto', ({ file }) => {
    const camera = detection.camera;
    if (!(camera instanceof FolderCamera)) throw new CommandError('folder_camera_only', 'only a folder camera can be told which photo to show');
    camera.select(file);
    return { file };
  });

  ctx.core.onDispose(async () => {
    stopTrigger();
    if (retry) clearTimeout(retry);
    await detection.close();
  });
  log.info('detection ready', { status: runtime.status, model: runtime.current?.model.manifest.name, camera: detection.camera.kind });

  return {
    classify: (weight) => service.classify(weight),
    offerModel: (next, source) => {
      announcement = next;
      if (source) detection.setModelSource(source);
      runSync(false);
    },
    setThreshold: (value) => service.setThreshold(value),
    setLocalThreshold: async (value) => {
      await detection.thresholds.save(value);
      service.setLocalThreshold(value);
    },
    state: () => service.state(),
    camera: { sleep: () => detection.camera.sleep?.(), wake: () => detection.camera.wake?.() },
  };
}

/** A small JPEG of the test photo for the technician screen (the full frame can be megabytes). */
async function previewOf(image: Buffer): Promise<string> {
  const jpeg = await sharp(image).resize({ width: 320, withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
