/**
 * Fixtures for detection tests: temporary folders, the shipped demo photos, and tiny YOLO-format models
 * (built by test/helpers/onnx.ts) written to disk beside a manifest, as an operator or model sync would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../src/detection/manifest.js';
import { buildConstantModel, yoloOutput } from './onnx.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const demoImagesDir = path.join(repoRoot, 'assets', 'demo-camera');
export const demoImage = (name: string): string => path.join(demoImagesDir, name);
export const shippedManifest = path.join(repoRoot, 'assets', 'models', 'centernet.manifest.json');

export function tempDir(prefix = 'rvm-detection-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Classes of the tiny test models, in the shape of a MyRVM production model. */
export const tinyLabels = ['pet_bottle', 'can', 'glass_bottle', 'other'];

export type Candidate = { cx: number; cy: number; w: number; h: number; scores: number[] };

/** A 64×64 NCHW letterbox YOLO model whose output is always `candidates`. */
export function tinyYoloModel(candidates: Candidate[], note = ''): Buffer {
  return buildConstantModel({
    inputName: 'images',
    inputDims: [1, 3, 64, 64],
    outputName: 'output0',
    outputDims: [1, 4 + tinyLabels.length, candidates.length],
    output: yoloOutput(tinyLabels.length, candidates),
    note,
  });
}

export function tinyYoloManifest(bytes: Buffer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny-yolo',
    version: '1.0.0',
    sha256: sha256Hex(bytes),
    file: 'model.onnx',
    input: { name: 'images', width: 64, height: 64, layout: 'nchw', resize: 'letterbox', range: '0-1' },
    output: { name: 'output0' },
    decoder: { kind: 'yolo', minScore: 0.2, iouThreshold: 0.45 },
    labels: tinyLabels,
    materials: { pet_bottle: 'pet', can: 'can', glass_bottle: 'glass', other: 'reject' },
    confidenceThreshold: 0.5,
    ...overrides,
  };
}

/** Writes model.onnx + manifest.json into `dir`; returns the manifest path. */
export function writeModel(dir: string, bytes: Buffer, manifest: Record<string, unknown>): string {
  writeFileSync(path.join(dir, 'model.onnx'), bytes);
  const manifestPath = path.join(dir, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return manifestPath;
}
