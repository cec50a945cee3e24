/**
 * The manifest that travels beside every model: what the model is (name, version, sha256 of the .onnx),
 * how to feed it (input tensor name, size, layout, resize, value range), how to read it (decoder kind,
 * labels) and what its classes mean for the machine (label → material, default threshold). Nothing about a
 * model is hard-coded elsewhere, so an operator can install another model by shipping another manifest.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../core/describe-error.js';

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const ModelManifest = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    /** Lower-case hex sha256 of the model file: checked before every load. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    /** Model file, relative to the manifest. */
    file: z.string().min(1),
    input: z.object({
      name: z.string().min(1),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      layout: z.enum(['nhwc', 'nchw']),
      /** `stretch` ignores the aspect ratio; `letterbox` keeps it and pads (as Ultralytics exports expect). */
      resize: z.enum(['stretch', 'letterbox']),
      /** Resampling used to resize; `linear` (bilinear) matches how most detectors are trained and is cheap. */
      interpolation: z.enum(['nearest', 'linear', 'cubic', 'lanczos3']).default('linear'),
      padValue: z.number().int().min(0).max(255).default(114),
      channels: z.enum(['rgb', 'bgr']).default('rgb'),
      /** Pixel value range fed to the model, then optional per-channel (v - mean) / std. */
      range: z.enum(['0-255', '0-1', '-1-1']),
      mean: triple.optional(),
      std: triple.optional(),
    }),
    output: z.object({ name: z.string().min(1).optional() }).default({}),
    decoder: z.object({
      kind: z.enum(['yolo', 'centernet']),
      /** Candidates under this score are dropped before NMS (they are not "seen" at all). */
      minScore: z.number().min(0).max(1).default(0.2),
      /** Class-agnostic NMS: a box overlapping a better one by more than this is dropped. */
      iouThreshold: z.number().min(0).max(1).default(0.45),
    }),
    labels: z.array(z.string().min(1)).min(1),
    /**
     * Label → material. Labels not listed are `reject` (not a container). A list means the label does not
     * tell the materials apart (COCO has one `bottle` for PET and glass): the settled weight picks the first
     * whose weight window holds it, and without a weight the first is taken.
     */
    materials: z.record(z.string(), z.union([z.enum(['pet', 'can', 'glass', 'reject']), z.array(z.enum(['pet', 'can', 'glass'])).min(1)])),
    confidenceThreshold: z.number().min(0).max(1),
    licence: z.string().optional(),
    source: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    for (const label of Object.keys(m.materials)) {
      if (!m.labels.includes(label)) ctx.addIssue({ code: 'custom', path: ['materials', label], message: `"${label}" is not one of the labels` });
    }
  });

export type ModelManifest = z.infer<typeof ModelManifest>;

export class ManifestError extends Error {}

export function parseManifest(json: unknown, where = 'manifest'): ModelManifest {
  const parsed = ModelManifest.safeParse(json);
  if (!parsed.success) throw new ManifestError(`${where}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export interface LoadedModel {
  manifest: ModelManifest;
  /** The model file's bytes, already checked against manifest.sha256. */
  bytes: Buffer;
  manifestPath: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Read and validate a manifest alone (no model file). */
export async function readManifest(manifestPath: string): Promise<ModelManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (err) {
    throw new ManifestError(`${manifestPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseManifest(json, manifestPath);
}

/** Read a manifest and its model file; a missing file, bad JSON or a hash mismatch throws ManifestError. */
export async function loadModel(manifestPath: string): Promise<LoadedModel> {
  const manifest = await readManifest(manifestPath);
  const modelPath = isAbsolute(manifest.file) ? manifest.file : resolve(dirname(manifestPath), manifest.file);
  // Read into memory (not a path for onnxruntime) so the same code works from inside an asar archive.
  const bytes = await readFile(modelPath).catch((err: Error) => {
    throw new ManifestError(`${modelPath}: ${err.message}`);
  });
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256) throw new ManifestError(`${modelPath}: sha256 ${actual} does not match the manifest (${manifest.sha256})`);
  return { manifest, bytes, manifestPath };
}

/** The materials a label can be under this manifest, most likely first; unknown labels are not containers. */
export function materialsOf(manifest: ModelManifest, label: string): Array<'pet' | 'can' | 'glass'> | 'reject' {
  const mapped = manifest.materials[label] ?? 'reject';
  if (mapped === 'reject') return 'reject';
  return Array.isArray(mapped) ? mapped : [mapped];
}
