/**
 * The detector worker end to end with real onnxruntime sessions: the shipped CenterNet model on the shipped
 * photos (scores as measured in ../shared/models/README.md), and a suite-built YOLO model through letterbox.
 * One demo-model worker is shared by the file to keep it quick.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, DetectorError } from '../../../src/detection/inference/detector.js';
import { loadModel, parseManifest } from '../../../src/detection/manifest.js';
import { demoImage, shippedManifest, tinyYoloManifest, tinyYoloModel } from '../../helpers/detection.js';

const options = { threads: 2, timeoutMs: 20_000 };

describe('Detector with the shipped CenterNet model', () => {
  let detector: Detector;
  beforeAll(async () => {
    const model = await loadModel(shippedManifest);
    detector = await Detector.load(model.bytes, model.manifest, options);
  });
  afterAll(() => detector.close());

  it('finds the cup in coffee.png (cup 0.511) with a box in photo pixels', async () => {
    const result = await detector.detect(readFileSync(demoImage('coffee.png')));
    expect([result.width, result.height]).toEqual([600, 400]);
    expect(result.detections).toHaveLength(1);
    expect(result.detections[0]!.label).toBe('cup');
    expect(result.detections[0]!.score).toBeCloseTo(0.511, 2);
    const [x1, y1, x2, y2] = result.detections[0]!.box;
    expect(x1).toBeGreaterThan(100);
    expect(x2).toBeLessThanOrEqual(600);
    expect(y2 - y1).toBeGreaterThan(100);
  });

  it('finds two wine glasses in wine-glasses.jpg (0.574, 0.421)', async () => {
    const { detections } = await detector.detect(readFileSync(demoImage('wine-glasses.jpg')));
    expect(detections.map((d) => d.label)).toEqual(['wine glass', 'wine glass']);
    expect(detections[0]!.score).toBeCloseTo(0.574, 2);
    expect(detections[1]!.score).toBeCloseTo(0.421, 2);
  });

  it('terminates a worker that misses its deadline instead of waiting on it', async () => {
    const stuck = await Detector.load((await loadModel(shippedManifest)).bytes, detector.manifest, options);
    const error = await stuck.detect(readFileSync(demoImage('coffee.png')), 1).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'timeout' });
    expect(stuck.alive).toBe(false);
    await expect(stuck.detect(readFileSync(demoImage('coffee.png')))).rejects.toMatchObject({ failure: 'crashed' });
    await stuck.close();
  });

  it('answers a garbled frame with an image error and keeps working', async () => {
    const error = await detector.detect(Buffer.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DetectorError);
    expect((error as DetectorError).failure).toBe('image');
    const again = await detector.detect(readFileSync(demoImage('person.jpg')));
    expect(again.detections[0]!.label).toBe('person');
  });
});

describe('Detector with a suite-built YOLO model', () => {
  it('decodes through letterbox back to photo pixels', async () => {
    // In the 64×64 input, a 200×100 photo fills rows 16..48; a box over all of it is cx 32, cy 32, w 64, h 32.
    const bytes = tinyYoloModel([
      { cx: 32, cy: 32, w: 64, h: 32, scores: [0.1, 0.88, 0, 0] },
      { cx: 16, cy: 32, w: 8, h: 8, scores: [0.1, 0.1, 0.05, 0.1] },
    ]);
    const detector = await Detector.load(bytes, parseManifest(tinyYoloManifest(bytes)), options);
    try {
      const photo = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#808080' } }).jpeg().toBuffer();
      const { detections } = await detector.detect(photo);
      expect(detections).toHaveLength(1);
      expect(detections[0]!.label).toBe('can');
      expect(detections[0]!.box).toEqual([0, 0, 200, 100]);
    } finally {
      await detector.close();
    }
  });

  it('runs a prepared tensor alone (the benchmark floor) and reports a tensor of the wrong shape', async () => {
    const bytes = tinyYoloModel([{ cx: 1, cy: 1, w: 1, h: 1, scores: [1, 0, 0, 0] }]);
    const detector = await Detector.load(bytes, parseManifest(tinyYoloManifest(bytes)), options);
    try {
      expect(await detector.inferPrepared(new Float32Array(3 * 64 * 64), [1, 3, 64, 64])).toBeGreaterThanOrEqual(0);
      await expect(detector.inferPrepared(new Float32Array(3 * 32 * 32), [1, 3, 32, 32])).rejects.toMatchObject({ failure: 'inference' });
    } finally {
      await detector.close();
    }
  });

  it('refuses to load a model whose input the manifest does not describe', async () => {
    const bytes = tinyYoloModel([{ cx: 1, cy: 1, w: 1, h: 1, scores: [1, 0, 0, 0] }]);
    const wrongSize = parseManifest(tinyYoloManifest(bytes, { input: { name: 'images', width: 32, height: 32, layout: 'nchw', resize: 'stretch', range: '0-1' } }));
    await expect(Detector.load(bytes, wrongSize, options)).rejects.toMatchObject({ failure: 'load', message: expect.stringMatching(/\[1, 3, 64, 64\]/) });
    const wrongName = parseManifest(tinyYoloManifest(bytes, { input: { name: 'pixels', width: 64, height: 64, layout: 'nchw', resize: 'stretch', range: '0-1' } }));
    await expect(Detector.load(bytes, wrongName, options)).rejects.toThrow(/no input "pixels"/);
  });

  it('refuses bytes that are not an ONNX model', async () => {
    const garbage = Buffer.from('this is not a model at all');
    await expect(Detector.load(garbage, parseManifest(tinyYoloManifest(garbage)), options)).rejects.toMatchObject({ failure: 'load' });
  });
});
