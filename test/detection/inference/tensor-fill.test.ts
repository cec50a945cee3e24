/**
 * preprocess() with the `linear` kernel grows axes in tensor-fill.ts instead of libvips. For every layout,
 * channel order, range and resize mode, its tensor must be libvips' own resize (the previous path, computed
 * here) up to libvips' rounding to whole bytes and its fixed-point weights (under one byte; a half-pixel shift
 * of this test card moves values by up to ~200) — on images that shrink, grow, or shrink one way and grow the other.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { preprocess } from '../../../src/detection/inference/preprocess.js';
import { fillTensor } from '../../../src/detection/inference/tensor-fill.js';
import { parseManifest, type ModelManifest } from '../../../src/detection/manifest.js';

function input(overrides: Record<string, unknown>): ModelManifest['input'] {
  return parseManifest({
    name: 'm', version: '1', sha256: '0'.repeat(64), file: 'm.onnx', decoder: { kind: 'yolo' }, labels: ['a'], materials: {}, confidenceThreshold: 0.5,
    input: { name: 'x', width: 64, height: 48, layout: 'nhwc', resize: 'stretch', interpolation: 'linear', range: '0-255', ...overrides },
  }).input;
}

/** A photo-like test card: gradients, hard edges and noise, so any shift or mis-weighting shows. */
function card(width: number, height: number): Promise<Buffer> {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      px[i] = (x * 255) / width;
      px[i + 1] = (x + y) % 7 < 3 ? 230 : 20;
      px[i + 2] = ((x * 31 + y * 17) * 2654435761) >>> 24;
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** The previous path: the whole resize and the padding in libvips, then the same normalisation per value. */
async function libvipsTensor(image: Buffer, spec: ModelManifest['input']): Promise<Float32Array> {
  const meta = await sharp(image).metadata();
  const { width: W, height: H } = spec;
  let pipeline = sharp(image);
  if (spec.resize === 'stretch') pipeline = pipeline.resize(W, H, { fit: 'fill', kernel: 'linear' });
  else {
    const scale = Math.min(W / meta.width!, H / meta.height!);
    const iw = Math.max(1, Math.min(W, Math.round(meta.width! * scale)));
    const ih = Math.max(1, Math.min(H, Math.round(meta.height! * scale)));
    const [px, py] = [Math.floor((W - iw) / 2), Math.floor((H - ih) / 2)];
    const v = spec.padValue;
    pipeline = pipeline.resize(iw, ih, { fit: 'fill', kernel: 'linear' }).extend({ left: px, top: py, right: W - iw - px, bottom: H - ih - py, background: { r: v, g: v, b: v } });
  }
  const rgb = await pipeline.raw().toBuffer();
  // Same-size fill: a plain per-value normalisation, no resampling (checked against hand values in preprocess.test.ts).
  return fillTensor({ rgb, srcWidth: W, srcHeight: H, innerWidth: W, innerHeight: H, padX: 0, padY: 0, padValue: 0 }, spec, new Float32Array(W * H * 3));
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('tensor-fill against libvips', () => {
  const sizes: Array<[number, number, string]> = [
    [80, 40, 'shrinks across, grows down (a camera frame)'],
    [30, 20, 'grows both ways'],
    [50, 100, 'grows across, shrinks down'],
    [128, 96, 'shrinks both ways'],
    [64, 48, 'already the size'],
  ];
  const specs: Array<[string, Record<string, unknown>, number]> = [
    ['NHWC raw RGB', {}, 1],
    ['NCHW 0..1', { layout: 'nchw', range: '0-1' }, 1 / 255],
    ['BGR -1..1 with mean/std', { channels: 'bgr', range: '-1-1', mean: [0.1, 0.2, 0.3], std: [0.5, 0.6, 0.7] }, 2 / 255 / 0.5],
    ['letterbox NCHW', { layout: 'nchw', resize: 'letterbox', padValue: 114 }, 1],
  ];
  for (const [w, h, what] of sizes) {
    for (const [name, overrides, unit] of specs) {
      it(`${w}×${h} (${what}), ${name}: within a byte of libvips`, async () => {
        const image = await card(w, h);
        const spec = input(overrides);
        const ours = await preprocess(image, spec);
        // Under one byte (rounding plus fixed-point weights when both axes grow), in the tensor's units.
        expect(maxDiff(ours.data, await libvipsTensor(image, spec))).toBeLessThan(unit);
      });
    }
  }

  it.each([
    ['grey', 1, 'uchar'],
    ['grey + alpha', 2, 'uchar'],
    ['RGBA', 4, 'uchar'],
    ['16-bit RGB', 3, 'ushort'],
  ] as const)('a %s PNG becomes the same RGB tensor as through libvips', async (_name, channels, depth) => {
    const width = 40;
    const height = 30;
    const px = Buffer.alloc(width * height * channels);
    for (let i = 0; i < px.length; i++) px[i] = (i * 37) % 256;
    const image = await sharp(px, { raw: { width, height, channels } })
      .toColourspace(depth === 'ushort' ? 'rgb16' : channels <= 2 ? 'b-w' : 'srgb')
      .png()
      .toBuffer();
    expect((await sharp(image).metadata()).depth).toBe(depth);
    const spec = input({});
    const reference = await sharp(image).removeAlpha().toColourspace('srgb').png().toBuffer();
    expect(maxDiff((await preprocess(image, spec)).data, await libvipsTensor(reference, spec))).toBeLessThan(1);
  });

  it('fills a reused buffer completely, padding included', async () => {
    const spec = input({ resize: 'letterbox', padValue: 114 });
    const buffer = new Float32Array(64 * 48 * 3).fill(Number.NaN);
    const ours = await preprocess(await card(30, 20), spec, buffer);
    expect(ours.data).toBe(buffer);
    expect(buffer.some(Number.isNaN)).toBe(false);
  });
});
