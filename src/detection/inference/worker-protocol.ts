/** Messages between the detector (core thread) and its inference worker. Both sides import only these types. */
import type { Detection } from '../../domain/ports.js';
import type { ModelManifest } from '../manifest.js';
import type { PhotoLimits } from './evidence-photo.js';

export interface StageTimings {
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export type ToWorker =
  | { type: 'load'; model: Uint8Array; manifest: ModelManifest; threads: number }
  /** `photo`: also make the bounded photo kept with a credit (evidence-photo.ts). */
  | { type: 'detect'; id: number; image: Uint8Array; photo?: PhotoLimits }
  /** session.run alone on a tensor prepared by the caller: the inference floor, for benchmarks. */
  | { type: 'infer'; id: number; data: Float32Array; dims: number[] }
  | { type: 'dispose' };

export type WorkerFailure = 'load' | 'image' | 'decode' | 'inference' | 'not_loaded';

export type FromWorker =
  | { type: 'loaded'; loadMs: number }
  | {
      type: 'detected';
      id: number;
      detections: Detection[];
      width: number;
      height: number;
      timings: StageTimings;
      /** Only when asked for: the photo (null when none fits the limits) and what making it cost. */
      photo?: { bytes: Uint8Array | null; ms: number };
    }
  | { type: 'inferred'; id: number; inferenceMs: number }
  | { type: 'failed'; id: number | null; failure: WorkerFailure; error: string }
  | { type: 'disposed' };
