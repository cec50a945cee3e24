/**
 * Puts the detection parts together from the configuration: camera + capture trigger, model store and
 * runtime (worker), the classifier service and model sync. Knows nothing about the core or the contract;
 * src/app/setup-detection.ts wires the result to them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CaptureTrigger } from './camera/capture-trigger.js';
import { createCamera } from './camera/create-camera.js';
import type { CameraSource } from './camera/camera-source.js';
import type { DetectionConfig } from './config.js';
import { DetectionService, type DetectionResult, type DetectionState } from './detection-service.js';
import { readManifest } from './manifest.js';
import { ModelRuntime } from './model-runtime.js';
import { ModelStore } from './model-store.js';
import type { FetchLike } from './model-sync/download.js';
import { ModelSync, type ModelSource } from './model-sync/model-sync.js';
import { shippedCameraDir, shippedManifestPath } from './shipped-assets.js';
import { ThresholdStore } from './threshold-store.js';

export interface DetectionOptions {
  config: DetectionConfig;
  dataDir: string;
  status: { raise(code: string, detail?: string): void; clear(code: string): void };
  onState: (state: DetectionState) => void;
  onResult: (result: DetectionResult) => void;
  /** Where model downloads go through; defaults to Node's fetch. */
  fetch?: FetchLike;
  /** Replaces the configured camera (tests, tools). */
  camera?: CameraSource;
}

export interface DetectionSystem {
  service: DetectionService;
  runtime: ModelRuntime;
  camera: CameraSource;
  trigger: CaptureTrigger;
  sync: ModelSync;
  /** Where a technician's threshold is kept between runs. */
  thresholds: ThresholdStore;
  /** Where model sync downloads from: the server link's base URL and headers. */
  setModelSource(source: ModelSource): void;
  close(): Promise<void>;
}

export async function createDetection(o: DetectionOptions): Promise<DetectionSystem> {
  const { config } = o;
  const demo = config.mode === 'demo';
  const camera = o.camera ?? createCamera(config.camera, demo);
  const trigger = new CaptureTrigger(camera, { settleMs: config.settleMs, timeoutMs: config.captureTimeoutMs });
  const baseManifest = (!demo && config.manifest && path.resolve(config.manifest)) || shippedManifestPath();
  const store = new ModelStore(path.join(o.dataDir, 'models'), baseManifest);
  const thresholds = new ThresholdStore(o.dataDir);
  const localThreshold = await thresholds.load();
  let service: DetectionService | null = null;
  const runtime = new ModelRuntime(store, { threads: config.threads, timeoutMs: config.inferenceTimeoutMs }, () => service?.publishState());
  service = new DetectionService({
    camera,
    trigger,
    runtime,
    status: o.status,
    weightWindows: config.weightWindows,
    ...(config.threshold !== undefined ? { configThreshold: config.threshold } : {}),
    localThreshold,
    onState: o.onState,
    onResult: o.onResult,
  });
  const owned = service;
  owned.publishState();
  await runtime.start();

  let source: ModelSource = {};
  const sync = new ModelSync({
    fetch: o.fetch ?? ((url, init) => fetch(url, init)),
    source: () => source,
    store,
    runtime,
    template: async () => {
      if (config.modelSync.manifestTemplate) return readManifest(config.modelSync.manifestTemplate);
      const running = runtime.current;
      if (!running) throw new Error('no running model to take the manifest from; set detection.modelSync.manifestTemplate');
      return running.model.manifest;
    },
    sampleFrame: async () => owned.latestFrame?.image ?? (await shippedSample()),
    maxBytes: config.modelSync.maxBytes,
    onState: (state) => owned.setSyncState(state),
  });

  return {
    service: owned,
    runtime,
    camera,
    trigger,
    sync,
    thresholds,
    setModelSource: (next) => (source = next),
    close: async () => {
      owned.dispose();
      await camera.close();
      await runtime.close();
    },
  };
}

/** A real photo to try a new model on before the camera has taken one. */
async function shippedSample(): Promise<Buffer> {
  const dir = shippedCameraDir();
  const first = (await readdir(dir)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()[0];
  if (!first) throw new Error(`no sample image in ${dir}`);
  return readFile(path.join(dir, first));
}
