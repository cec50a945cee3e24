/**
 * The classifier with the shipped CenterNet model on real photos, one worker for the whole file. There is
 * no photo of a real bottle or can in reach: the accept path is the cup in coffee.png (cup → glass).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureTrigger } from '../../src/detection/camera/capture-trigger.js';
import { FolderCamera } from '../../src/detection/camera/folder-camera.js';
import { detectionConfig } from '../../src/detection/config.js';
import { createDetection, type DetectionSystem } from '../../src/detection/create-detection.js';
import { DetectionService, type DetectionResult, type DetectionState } from '../../src/detection/detection-service.js';
import { DEFAULT_PHOTO_LIMITS } from '../../src/detection/inference/evidence-photo.js';
import { demoImage, tempDir } from '../helpers/detection.js';

function statusRecorder() {
  const raised = new Map<string, string | undefined>();
  return { raised, raise: (code: string, detail?: string) => raised.set(code, detail), clear: (code: string) => raised.delete(code) };
}

describe('DetectionService with the demo model', () => {
  const tmp = tempDir();
  const photos = path.join(tmp.dir, 'photos');
  let system: DetectionSystem;
  let camera: FolderCamera;
  const results: DetectionResult[] = [];
  let lastState: DetectionState | null = null;

  beforeAll(async () => {
    mkdirSync(photos);
    for (const f of ['coffee.png', 'wine-glasses.jpg', 'chelsea.png', 'person.jpg', 'dog.jpg']) copyFileSync(demoImage(f), path.join(photos, f));
    writeFileSync(path.join(photos, 'blank.jpg'), await sharp({ create: { width: 640, height: 480, channels: 3, background: '#7f7f7f' } }).jpeg().toBuffer());
    writeFileSync(path.join(photos, 'broken.jpg'), readFileSync(demoImage('dog.jpg')).subarray(0, 2000));
    camera = new FolderCamera(photos);
    system = await createDetection({
      config: detectionConfig.parse({ mode: 'model', settleMs: 0 }),
      dataDir: path.join(tmp.dir, 'data'),
      status: statusRecorder(),
      onState: (s) => (lastState = s),
      onResult: (r) => results.push(r),
      camera,
    });
  });
  afterAll(async () => {
    await system.close();
    tmp.remove();
  });

  const classify = (file: string, weight?: number) => {
    camera.select(file);
    return system.service.classify(weight);
  };

  it('accepts the cup in coffee.png as glass, with a bounded JPEG of the photo attached for upload', async () => {
    const c = await classify('coffee.png');
    expect(c).toMatchObject({ accepted: true, material: 'glass' });
    expect(c.confidence).toBeCloseTo(0.511, 2);
    // The 466 KB PNG travels as a JPEG of the same picture within DEFAULT_PHOTO_LIMITS, made in the worker.
    expect(readFileSync(demoImage('coffee.png')).length).toBeGreaterThan(400_000);
    expect(c.image!.length).toBeLessThanOrEqual(DEFAULT_PHOTO_LIMITS.maxBytes);
    expect(await sharp(c.image!).metadata()).toMatchObject({ format: 'jpeg', width: 600, height: 400 });
    const published = results.at(-1)!;
    expect(published).toMatchObject({ accepted: true, material: 'glass', origin: 'coffee.png' });
    expect(published).not.toHaveProperty('image');
    expect(published.timings!.inferenceMs).toBeGreaterThan(0);
    expect(lastState).toMatchObject({ status: 'ready', model: { name: 'centernet-mobilenetv3-coco', source: 'base' }, threshold: 0.4 });
  });

  it.each([
    ['wine-glasses.jpg', 'multiple_objects'],
    ['dog.jpg', 'multiple_objects'],
    ['chelsea.png', 'not_a_container'],
    ['person.jpg', 'not_a_container'],
    ['blank.jpg', 'nothing_seen'],
    ['broken.jpg', 'detector_error'],
  ])('rejects %s with %s', async (file, reason) => {
    expect(await classify(file)).toMatchObject({ accepted: false, reason });
  });

  it('weight outside the window for the material: weight_out_of_range', async () => {
    expect(await classify('coffee.png', 20)).toMatchObject({ accepted: false, reason: 'weight_out_of_range' });
    expect(await classify('coffee.png', 300)).toMatchObject({ accepted: true, material: 'glass' });
  });

  it('a server threshold above the score turns the same cup into low_confidence, until cleared', async () => {
    system.service.setThreshold(0.6);
    expect(lastState).toMatchObject({ threshold: 0.6, thresholdSource: 'server' });
    expect(await classify('coffee.png')).toMatchObject({ accepted: false, reason: 'low_confidence' });
    system.service.setThreshold(null);
    expect(await classify('coffee.png')).toMatchObject({ accepted: true });
    expect(() => system.service.setThreshold(2)).toThrow(RangeError);
  });

  it("a technician's threshold sits between the server's and the configured one", async () => {
    system.service.setLocalThreshold(0.6);
    expect(lastState).toMatchObject({ threshold: 0.6, thresholdSource: 'technician' });
    expect(await classify('coffee.png')).toMatchObject({ accepted: false, reason: 'low_confidence' });
    system.service.setThreshold(0.3);
    expect(lastState).toMatchObject({ threshold: 0.3, thresholdSource: 'server' });
    system.service.setThreshold(null);
    expect(lastState).toMatchObject({ threshold: 0.6, thresholdSource: 'technician' });
    system.service.setLocalThreshold(null);
    expect(lastState).toMatchObject({ threshold: 0.4, thresholdSource: 'manifest' });
    expect(await classify('coffee.png')).toMatchObject({ accepted: true });
  });

  it('no camera: camera_unavailable on the status board, cleared once photos arrive', async () => {
    const empty = tempDir();
    const status = statusRecorder();
    const noPhotos = new FolderCamera(empty.dir);
    const service = new DetectionService({
      camera: noPhotos,
      trigger: new CaptureTrigger(noPhotos, { settleMs: 0, timeoutMs: 1000 }),
      runtime: system.runtime,
      status,
      weightWindows: detectionConfig.parse({}).weightWindows,
      onState: () => undefined,
      onResult: () => undefined,
    });
    expect(await service.classify()).toMatchObject({ accepted: false, reason: 'camera_unavailable' });
    expect(status.raised.get('camera_unavailable')).toMatch(/no .jpg or .png images/);
    expect(service.state().camera).toMatchObject({ status: 'unavailable' });
    copyFileSync(demoImage('coffee.png'), path.join(empty.dir, 'coffee.png'));
    expect(await service.classify()).toMatchObject({ accepted: true });
    expect(status.raised.has('camera_unavailable')).toBe(false);
    service.dispose();
    empty.remove();
  });
});
