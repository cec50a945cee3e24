/**
 * The fast preprocessing (libvips only shrinks, tensor-fill.ts upsamples and normalises in one pass) must
 * not change what the shipped model sees in a way that changes its answer. The previous path — the whole
 * resize in libvips, then a widening copy (test/helpers/previous-preprocess.ts) — is the reference: both run
 * through the real model (onnxruntime, in this thread) on every demo photo, on ../shared/images when it is
 * there, and on each photo re-encoded as a 640×480 camera JPEG (what a USB camera delivers). Every detection the decision could
 * use (score at or above the manifest's threshold, less a margin) must be found again: same class, box within
 * a few pixels, score within a few hundredths.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../../src/domain/ports.js';
import { postprocess } from '../../../src/detection/inference/postprocess.js';
import { preprocess, type PreparedInput } from '../../../src/detection/inference/preprocess.js';
import { loadModel, type LoadedModel } from '../../../src/detection/manifest.js';
import { demoImagesDir, repoRoot, shippedManifest } from '../../helpers/detection.js';
import { previousPreprocess } from '../../helpers/previous-preprocess.js';

const sharedImages = path.resolve(repoRoot, '..', 'shared', 'images');
// Each photo once: the shared folder repeats most of the demo ones.
const photoFiles = [
  ...new Map(
    [demoImagesDir, ...(existsSync(sharedImages) ? [sharedImages] : [])]
      .flatMap((dir) => readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => [f, path.join(dir, f)] as const))
      .reverse(),
  ).values(),
].sort();

/** Box coordinates may move by this much (source pixels, at least) or this share of the image's side. */
const BOX_PIXELS = 4;
const BOX_SHARE = 0.01;
const SCORE = 0.02;

let model: LoadedModel;
let session: ort.InferenceSession;

async function detect(prepared: PreparedInput): Promise<Detection[]> {
  const { manifest } = model;
  const result = await session.run({ [manifest.input.name]: new ort.Tensor('float32', prepared.data, prepared.dims) });
  const output = result[manifest.output.name ?? session.outputNames[0]!]!;
  return postprocess({ data: output.data as Float32Array, dims: output.dims }, manifest, prepared.transform);
}

function unmatched(reference: Detection[], candidates: Detection[], floor: number, size: { width: number; height: number }): string[] {
  const problems: string[] = [];
  const tolerance = [size.width, size.height, size.width, size.height].map((side) => Math.max(BOX_PIXELS, side * BOX_SHARE));
  for (const want of reference.filter((d) => d.score >= floor)) {
    const found = candidates.find((got) => got.label === want.label && Math.abs(got.score - want.score) <= SCORE && got.box.every((v, i) => Math.abs(v - want.box[i]!) <= tolerance[i]!));
    if (!found) problems.push(`${want.label} ${want.score.toFixed(3)} [${want.box.map((v) => v.toFixed(0)).join(', ')}] not found among ${JSON.stringify(candidates.map((c) => [c.label, +c.score.toFixed(3), c.box.map((v) => Math.round(v))]))}`);
  }
  return problems;
}

describe('fast preprocessing keeps the shipped model’s detections', () => {
  beforeAll(async () => {
    model = await loadModel(shippedManifest);
    session = await ort.InferenceSession.create(model.bytes, { intraOpNumThreads: 2, interOpNumThreads: 1 });
  });
  afterAll(async () => {
    await session?.release();
  });

  it('has photos to compare', () => {
    expect(photoFiles.length).toBeGreaterThanOrEqual(6);
  });

  const cases = photoFiles.flatMap((file) => [
    { name: path.basename(file), source: 'as shipped', bytes: async () => readFileSync(file) },
    { name: path.basename(file), source: 'as a 640×480 camera JPEG', bytes: async () => sharp(readFileSync(file)).resize(640, 480, { fit: 'fill' }).jpeg({ quality: 85 }).toBuffer() },
  ]);

  it.each(cases)('$name $source: same classes, boxes and scores', async ({ bytes }) => {
    const image = await bytes();
    const { input, confidenceThreshold } = model.manifest;
    const before = await detect(await previousPreprocess(image, input));
    const after = await detect(await preprocess(image, input));
    const size = (await preprocess(image, input)).transform;
    const floor = confidenceThreshold - SCORE;
    // Both ways round: nothing the decision could use disappears, and nothing new appears.
    expect(unmatched(before, after, floor, { width: size.srcWidth, height: size.srcHeight }), 'lost or moved').toEqual([]);
    expect(unmatched(after, before, floor, { width: size.srcWidth, height: size.srcHeight }), 'new or moved').toEqual([]);
  });
});
