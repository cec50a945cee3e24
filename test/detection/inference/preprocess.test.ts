import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { postprocess } from '../../../src/detection/inference/postprocess.js';
import { ImageDecodeError, preprocess } from '../../../src/detection/inference/preprocess.js';
import { parseManifest, type ModelManifest } from '../../../src/detection/manifest.js';

// A 2×1 PNG: one red pixel (200, 10, 30), one blue-ish pixel (0, 100, 255).
const pixels = Buffer.from([200, 10, 30, 0, 100, 255]);
const twoPixels = () => sharp(pixels, { raw: { width: 2, height: 1, channels: 3 } }).png().toBuffer();

function input(overrides: Partial<ModelManifest['input']>): ModelManifest['input'] {
  const base = { name: 'x', width: 2, height: 1, layout: 'nhwc', resize: 'stretch', interpolation: 'nearest', range: '0-255' };
  return parseManifest({
    name: 'm',
    version: '1',
    sha256: '0'.repeat(64),
    file: 'm.onnx',
    input: { ...base, ...overrides },
    decoder: { kind: 'yolo' },
    labels: ['a'],
    materials: {},
    confidenceThreshold: 0.5,
  }).input;
}

describe('preprocess', () => {
  it('NHWC, raw 0..255: the tensor is the pixels', async () => {
    const prepared = await preprocess(await twoPixels(), input({}));
    expect(prepared.dims).toEqual([1, 1, 2, 3]);
    expect([...prepared.data]).toEqual([200, 10, 30, 0, 100, 255]);
  });

  it('NCHW, 0..1: one plane per channel, scaled', async () => {
    const prepared = await preprocess(await twoPixels(), input({ layout: 'nchw', range: '0-1' }));
    expect(prepared.dims).toEqual([1, 3, 1, 2]);
    expect([...prepared.data].map((v) => Math.round(v * 255))).toEqual([200, 0, 10, 100, 30, 255]);
  });

  it('BGR order, -1..1 range and mean/std', async () => {
    const bgr = await preprocess(await twoPixels(), input({ channels: 'bgr', range: '-1-1' }));
    expect(bgr.data[0]).toBeCloseTo((30 / 255) * 2 - 1, 5);
    expect(bgr.data[2]).toBeCloseTo((200 / 255) * 2 - 1, 5);
    const norm = await preprocess(await twoPixels(), input({ range: '0-1', mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 1] }));
    expect(norm.data[0]).toBeCloseTo((200 / 255 - 0.5) / 0.25, 5);
    expect(norm.data[1]).toBeCloseTo((10 / 255 - 0.5) / 0.5, 5);
  });

  it('letterbox keeps the aspect ratio, pads with padValue, and postprocess maps boxes back to the photo', async () => {
    const photo = await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
    const spec = input({ width: 64, height: 64, layout: 'nchw', resize: 'letterbox', range: '0-255', padValue: 114 });
    const prepared = await preprocess(photo, spec);
    expect(prepared.transform).toMatchObject({ srcWidth: 200, srcHeight: 100, padX: 0, padY: 16 });
    expect(prepared.data[0]).toBe(114); // top padding row
    expect(prepared.data[32 * 64]).toBe(0); // middle row: the black photo
    const manifest = parseManifest({
      name: 'm', version: '1', sha256: '0'.repeat(64), file: 'm.onnx', input: spec,
      decoder: { kind: 'centernet', minScore: 0.2 }, labels: ['a'], materials: {}, confidenceThreshold: 0.5,
    });
    const [d] = postprocess({ data: Float32Array.from([0, 16, 32, 48, 0.9, 0]), dims: [1, 1, 6] }, manifest, prepared.transform);
    expect(d!.box).toEqual([0, 0, 100, 100]);
  });

  it('turns bytes that are no image into ImageDecodeError', async () => {
    await expect(preprocess(Buffer.from('definitely not a jpeg'), input({}))).rejects.toBeInstanceOf(ImageDecodeError);
  });
});
