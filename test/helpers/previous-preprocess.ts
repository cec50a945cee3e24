/**
 * The preprocessing as it was before issue 15 (kept verbatim as the reference): the whole resize in libvips
 * (stretch only, as the shipped model uses), then a widening copy. test/detection/inference/
 * preprocess-equivalence.test.ts proves the fast path gives the same detections; bench/detect.ts times both.
 */
import sharp from 'sharp';
import type { PreparedInput } from '../../src/detection/inference/preprocess.js';
import type { ModelManifest } from '../../src/detection/manifest.js';

export async function previousPreprocess(image: Uint8Array, input: ModelManifest['input']): Promise<PreparedInput> {
  if (input.resize !== 'stretch' || input.layout !== 'nhwc' || input.range !== '0-255' || input.channels !== 'rgb') {
    throw new Error('previousPreprocess covers the shipped model only (stretch, NHWC, raw RGB)');
  }
  const meta = await sharp(image).metadata();
  const srcWidth = meta.width!;
  const srcHeight = meta.height!;
  const raw = await sharp(image)
    .keepIccProfile()
    .removeAlpha()
    .toColourspace('srgb')
    .resize(input.width, input.height, { fit: 'fill', kernel: input.interpolation })
    .raw()
    .toBuffer();
  return {
    data: new Float32Array(raw),
    dims: [1, input.height, input.width, 3],
    transform: { srcWidth, srcHeight, scaleX: srcWidth / input.width, scaleY: srcHeight / input.height, padX: 0, padY: 0 },
  };
}
