/**
 * Image bytes → the model's input tensor, exactly as the manifest describes it. sharp (libvips) decodes and
 * resizes; JPEG shrink-on-load makes large camera frames cheap. The returned transform maps boxes in model
 * input pixels back to source image pixels, so the decoders never need to know how the image was resized.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { ModelManifest } from '../manifest.js';

export interface InputTransform {
  srcWidth: number;
  srcHeight: number;
  /** Source pixels per model-input pixel, per axis (equal for letterbox). */
  scaleX: number;
  scaleY: number;
  /** Padding added on the left and top (letterbox only). */
  padX: number;
  padY: number;
}

export interface PreparedInput {
  data: Float32Array;
  dims: [number, number, number, number];
  transform: InputTransform;
}

export class ImageDecodeError extends Error {}

export async function preprocess(image: Uint8Array, input: ModelManifest['input']): Promise<PreparedInput> {
  const { width: W, height: H } = input;
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch (err) {
    throw new ImageDecodeError(`not a readable image: ${err instanceof Error ? err.message : String(err)}`);
  }
  const srcWidth = meta.width ?? 0;
  const srcHeight = meta.height ?? 0;
  if (srcWidth <= 0 || srcHeight <= 0) throw new ImageDecodeError('image has no size');

  // keepIccProfile skips colour management: camera frames carry no profile, and converting photos that do
  // (usually sRGB anyway) cost ~10 ms per frame for no change a detector can see.
  let pipeline = sharp(image).keepIccProfile().removeAlpha().toColourspace('srgb');
  let transform: InputTransform;
  if (input.resize === 'stretch') {
    pipeline = pipeline.resize(W, H, { fit: 'fill', kernel: input.interpolation });
    transform = { srcWidth, srcHeight, scaleX: srcWidth / W, scaleY: srcHeight / H, padX: 0, padY: 0 };
  } else {
    // Resize to exact inner dimensions and pad explicitly, so the pad offsets are known to the pixel.
    const scale = Math.min(W / srcWidth, H / srcHeight);
    const innerW = Math.max(1, Math.min(W, Math.round(srcWidth * scale)));
    const innerH = Math.max(1, Math.min(H, Math.round(srcHeight * scale)));
    const padX = Math.floor((W - innerW) / 2);
    const padY = Math.floor((H - innerH) / 2);
    const pad = { r: input.padValue, g: input.padValue, b: input.padValue };
    pipeline = pipeline
      .resize(innerW, innerH, { fit: 'fill', kernel: input.interpolation })
      .extend({ left: padX, top: padY, right: W - innerW - padX, bottom: H - innerH - padY, background: pad });
    transform = { srcWidth, srcHeight, scaleX: srcWidth / innerW, scaleY: srcHeight / innerH, padX, padY };
  }

  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageDecodeError(`cannot decode image: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (raw.info.channels !== 3 || raw.info.width !== W || raw.info.height !== H) {
    throw new ImageDecodeError(`resize produced ${raw.info.width}x${raw.info.height}x${raw.info.channels}, expected ${W}x${H}x3`);
  }
  const dims: PreparedInput['dims'] = input.layout === 'nhwc' ? [1, H, W, 3] : [1, 3, H, W];
  return { data: toTensor(raw.data, input), dims, transform };
}

/** Interleaved RGB bytes → float tensor in the manifest's layout, channel order and value range. */
export function toTensor(rgb: Uint8Array, input: ModelManifest['input']): Float32Array {
  const plane = input.width * input.height;
  const [rangeScale, rangeOffset] = input.range === '0-255' ? [1, 0] : input.range === '0-1' ? [1 / 255, 0] : [2 / 255, -1];
  const mean = input.mean ?? [0, 0, 0];
  const std = input.std ?? [1, 1, 1];
  const identity = rangeScale === 1 && rangeOffset === 0 && mean.every((m) => m === 0) && std.every((s) => s === 1);
  // The demo model's case (raw RGB, NHWC) is a plain widening copy, done natively.
  if (identity && input.layout === 'nhwc' && input.channels === 'rgb') return new Float32Array(rgb);
  const out = new Float32Array(plane * 3);
  const nchw = input.layout === 'nchw';
  for (let c = 0; c < 3; c++) {
    const src = input.channels === 'rgb' ? c : 2 - c;
    const scale = rangeScale / std[c]!;
    const offset = (rangeOffset - mean[c]!) / std[c]!;
    // Separate loops keep the hot path free of per-pixel branches.
    if (nchw) {
      const base = c * plane;
      for (let i = 0, j = src; i < plane; i++, j += 3) out[base + i] = rgb[j]! * scale + offset;
    } else {
      for (let i = c, j = src; i < out.length; i += 3, j += 3) out[i] = rgb[j]! * scale + offset;
    }
  }
  return out;
}
