import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel, ManifestError, materialsOf, parseManifest } from '../../src/detection/manifest.js';
import { shippedManifest, tempDir, tinyYoloManifest, tinyYoloModel, writeModel } from '../helpers/detection.js';

const shippedJson = () => JSON.parse(readFileSync(shippedManifest, 'utf8')) as Record<string, unknown>;

describe('model manifest', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((remove) => remove()));

  it('the shipped demo manifest is valid, matches its model file, and maps COCO classes to materials', async () => {
    const { manifest, bytes } = await loadModel(shippedManifest);
    expect(bytes.length).toBe(8_106_690);
    expect(manifest.decoder.kind).toBe('centernet');
    expect(manifest.labels).toHaveLength(80);
    expect(['bottle', 'wine glass', 'cup', 'cat'].map((l) => materialsOf(manifest, l))).toEqual([['pet', 'glass'], ['glass'], ['glass'], 'reject']);
  });

  it.each([
    ['a sha256 that is not 64 hex digits', { sha256: 'abc' }, /sha256/],
    ['an unknown decoder', { decoder: { kind: 'ssd' } }, /decoder.kind/],
    ['a material for a label the model does not have', { materials: { tin: 'can' } }, /materials.tin.*not one of the labels/],
    ['an unknown material', { materials: { bottle: 'paper' } }, /materials.bottle/],
    ['a layout other than nhwc/nchw', { input: { ...(shippedJson().input as object), layout: 'hwc' } }, /input.layout/],
    ['a threshold above 1', { confidenceThreshold: 1.5 }, /confidenceThreshold/],
  ])('rejects %s with a message naming the field', (_label, patch, message) => {
    expect(() => parseManifest({ ...shippedJson(), ...patch })).toThrow(message);
  });

  it('refuses to load a model whose bytes do not match the manifest hash', async () => {
    const t = tempDir();
    dirs.push(t.remove);
    const bytes = tinyYoloModel([{ cx: 1, cy: 1, w: 1, h: 1, scores: [1, 0, 0, 0] }]);
    const manifestPath = writeModel(t.dir, bytes, tinyYoloManifest(bytes));
    await expect(loadModel(manifestPath)).resolves.toMatchObject({ manifest: { name: 'tiny-yolo' } });
    writeFileSync(path.join(t.dir, 'model.onnx'), Buffer.concat([bytes, Buffer.from([0])]));
    await expect(loadModel(manifestPath)).rejects.toThrow(/does not match the manifest/);
    await expect(loadModel(path.join(t.dir, 'missing.json'))).rejects.toBeInstanceOf(ManifestError);
  });
});
