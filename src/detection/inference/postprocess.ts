/**
 * Model output → detections in source image pixels: the manifest's decoder, class-agnostic NMS, then the
 * inverse of the preprocessing transform (un-pad, un-scale, clip to the image).
 */
import type { Detection } from '../../domain/ports.js';
import type { ModelManifest } from '../manifest.js';
import { decodeCenterNet } from './decode-centernet.js';
import type { RawOutput } from './decode-types.js';
import { decodeYolo } from './decode-yolo.js';
import { nonMaxSuppression, type Box } from './nms.js';
import type { InputTransform } from './preprocess.js';

export function postprocess(output: RawOutput, manifest: ModelManifest, transform: InputTransform): Detection[] {
  const { kind, minScore, iouThreshold } = manifest.decoder;
  const candidates = kind === 'yolo' ? decodeYolo(output, manifest.labels.length, minScore) : decodeCenterNet(output, minScore);
  return nonMaxSuppression(candidates, iouThreshold).map((c) => ({
    label: manifest.labels[c.classIndex] ?? `class_${c.classIndex}`,
    score: c.score,
    box: toSource(c.box, transform),
  }));
}

function toSource(box: Box, t: InputTransform): Box {
  const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return [
    clip((box[0] - t.padX) * t.scaleX, t.srcWidth),
    clip((box[1] - t.padY) * t.scaleY, t.srcHeight),
    clip((box[2] - t.padX) * t.scaleX, t.srcWidth),
    clip((box[3] - t.padY) * t.scaleY, t.srcHeight),
  ];
}
