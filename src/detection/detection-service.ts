/**
 * The ItemClassifier the session flow uses: photo (triggered by "item present") → detector (worker) →
 * decision. It never throws at the session: a missing camera or a failing model becomes a rejection with a
 * reason, and the camera's health is mirrored on the status board as `camera_unavailable`.
 */
import type { z } from 'zod';
import type { DetectionResult as DetectionResultSchema, DetectionState as DetectionStateSchema } from '../contract/detection.js';
import { createLogger } from '../log/logger.js';
import type { Classification, ItemClassifier, WeightReading } from '../domain/ports.js';
import { CameraUnavailableError, type CameraHealth, type CameraSource, type Frame } from './camera/camera-source.js';
import type { CaptureTrigger } from './camera/capture-trigger.js';
import type { WeightWindows } from './config.js';
import { decide, type Decision } from './decision.js';
import { DEFAULT_PHOTO_LIMITS, type PhotoLimits } from './inference/evidence-photo.js';
import { materialsOf } from './manifest.js';
import type { ModelRuntime } from './model-runtime.js';
import { BASE } from './model-store.js';
import { idleSync, type ModelSyncState } from './model-sync/model-sync.js';

const log = createLogger('detection');

export type DetectionState = z.output<typeof DetectionStateSchema>;
export type DetectionResult = z.output<typeof DetectionResultSchema>;
type ThresholdSource = DetectionState['thresholdSource'];

export interface DetectionServiceDeps {
  camera: CameraSource;
  trigger: CaptureTrigger;
  runtime: ModelRuntime;
  status: { raise(code: string, detail?: string): void; clear(code: string): void };
  weightWindows: WeightWindows;
  configThreshold?: number;
  /** A technician's value from an earlier run (threshold-store.ts). */
  localThreshold?: number | null;
  onState: (state: DetectionState) => void;
  onResult: (result: DetectionResult) => void;
  /** Bounds of the photo kept with a credit; default DEFAULT_PHOTO_LIMITS (640 px, quality 80, 150 KB). */
  photoLimits?: PhotoLimits;
}

export class DetectionService implements ItemClassifier {
  private camera: DetectionState['camera'];
  private lastInferenceMs: number | null = null;
  private serverThreshold: number | null = null;
  private localThreshold: number | null;
  private sync: ModelSyncState = idleSync;
  private lastFrame: Frame | null = null;
  private readonly stopHealth: () => void;

  constructor(private readonly deps: DetectionServiceDeps) {
    this.camera = { kind: deps.camera.kind, status: 'unknown' };
    this.localThreshold = deps.localThreshold ?? null;
    this.stopHealth = deps.camera.onHealth((health) => this.onCameraHealth(health));
  }

  async classify(weight?: WeightReading): Promise<Classification> {
    const outcome = await this.run(() => this.deps.trigger.take(), weight);
    return outcome.classification;
  }

  /** Technician test: photograph now (no trigger, no settle) and classify. */
  async testCapture(): Promise<{ result: DetectionResult; frame: Frame | null }> {
    const outcome = await this.run(() => this.deps.trigger.capture());
    return { result: outcome.result, frame: outcome.frame };
  }

  /** A server policy threshold; null returns to the configured or manifest default. */
  setThreshold(value: number | null): void {
    if (value !== null && !(value >= 0 && value <= 1)) throw new RangeError(`threshold must be within 0..1, got ${value}`);
    this.serverThreshold = value;
    this.publishState();
  }

  /** A technician's value for this machine (below the server's, above config); null drops it. */
  setLocalThreshold(value: number | null): void {
    if (value !== null && !(value >= 0 && value <= 1)) throw new RangeError(`threshold must be within 0..1, got ${value}`);
    this.localThreshold = value;
    this.publishState();
  }

  setSyncState(sync: ModelSyncState): void {
    this.sync = sync;
    this.publishState();
  }

  /** The newest real photo, for trying a new model on; null before the first capture. */
  get latestFrame(): Frame | null {
    return this.lastFrame;
  }

  state(): DetectionState {
    const { runtime } = this.deps;
    const current = runtime.current;
    const manifest = current?.model.manifest;
    const [threshold, thresholdSource] = this.threshold();
    return {
      status: runtime.status,
      ...(runtime.error ? { error: runtime.error } : {}),
      model: manifest ? { name: manifest.name, version: manifest.version, sha256: manifest.sha256, source: current.ref === BASE ? 'base' : 'synced' } : null,
      camera: this.camera,
      lastInferenceMs: this.lastInferenceMs,
      modelLoadMs: current ? current.loadMs : null,
      threshold,
      thresholdSource,
      canRollback: runtime.canRollback,
      modelSync: this.sync,
    };
  }

  publishState(): void {
    this.deps.onState(this.state());
  }

  dispose(): void {
    this.stopHealth();
  }

  private async run(capture: () => Promise<Frame>, weight?: WeightReading) {
    const started = performance.now();
    let frame: Frame | null = null;
    let decision: Decision;
    let timings: DetectionResult['timings'];
    let detail: string | undefined;
    let photo: Buffer | undefined;
    try {
      frame = await capture();
      this.lastFrame = frame;
      const captureMs = performance.now() - started;
      // The photo kept with a credit is made in the worker, bounded (evidence-photo.ts), never the raw frame.
      const detected = await this.deps.runtime.detect(frame.image, this.deps.photoLimits ?? DEFAULT_PHOTO_LIMITS);
      this.lastInferenceMs = detected.timings.inferenceMs;
      photo = detected.photo?.bytes ?? undefined;
      if (detected.photo && !detected.photo.bytes) log.warn('no photo of this item fits the limits; its credit will be sent without one', { origin: frame.origin, bytes: frame.image.length });
      timings = { captureMs, ...detected.timings, totalMs: performance.now() - started };
      // Only the decision needs the weight: the photo and the inference ran while the load cell settled.
      decision = decide(detected.detections, this.rules(), (await weight) ?? undefined);
    } catch (err) {
      detail = err instanceof Error ? err.message : String(err);
      const reason = err instanceof CameraUnavailableError ? 'camera_unavailable' : 'detector_error';
      if (reason === 'camera_unavailable') this.onCameraHealth({ ok: false, detail });
      log.warn('item could not be classified', { reason, detail });
      decision = { accepted: false, reason, confidence: 0, detections: [] };
    }
    const classification: Classification = photo ? { ...decision, image: photo } : decision;
    const weightGrams = (await weight) ?? undefined;
    const result: DetectionResult = {
      at: Date.now(),
      ...decision,
      ...(weightGrams !== undefined ? { weightGrams } : {}),
      ...(frame ? { origin: frame.origin } : {}),
      ...(timings ? { timings } : {}),
      ...(detail ? { detail } : {}),
    };
    this.deps.onResult(result);
    this.publishState();
    return { classification, result, frame };
  }

  private rules() {
    const manifest = this.deps.runtime.current!.model.manifest;
    return { threshold: this.threshold()[0], materialsOf: (label: string) => materialsOf(manifest, label), weightWindows: this.deps.weightWindows };
  }

  private threshold(): [number, ThresholdSource] {
    if (this.serverThreshold !== null) return [this.serverThreshold, 'server'];
    if (this.localThreshold !== null) return [this.localThreshold, 'technician'];
    if (this.deps.configThreshold !== undefined) return [this.deps.configThreshold, 'config'];
    return [this.deps.runtime.current?.model.manifest.confidenceThreshold ?? 0.5, 'manifest'];
  }

  private onCameraHealth(health: CameraHealth): void {
    const next: DetectionState['camera'] = health.ok
      ? { kind: this.deps.camera.kind, status: 'ok' }
      : { kind: this.deps.camera.kind, status: 'unavailable', detail: health.detail };
    if (next.status === this.camera.status && next.detail === this.camera.detail) return;
    this.camera = next;
    if (health.ok) this.deps.status.clear('camera_unavailable');
    else this.deps.status.raise('camera_unavailable', health.detail);
    this.publishState();
  }
}
