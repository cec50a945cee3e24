/**
 * Image bytes → the model's input tensor, exactly as the manifest describes it. sharp (libvips) decodes and
 * downsamples (JPEG shrink-on-load makes large camera frames cheap); tensor-fill.ts upsamples what is left,
 * pads and normalises straight into the float tensor, so the decoded bytes are touched once more, not three
 * times. The returned transform maps boxes in model input pixels back to source image pixels, so the
 * decoders never need to know how the image was resized.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { ModelManifest } from '../manifest.js';
import { fillTensor } from './tensor-fill.js';

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

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * `into`: a tensor buffer to fill instead of allocating one (the worker reuses one per model; 3 MB a frame
 * otherwise). It must not be in use by a running inference.
 */
export async function preprocess(image: Uint8Array, input: ModelManifest['input'], into?: Float32Array): Promise<PreparedInput> {
  const { width: W, height: H } = input;
  // One sharp instance: metadata() reads the header only, and the pipeline below reuses the same input.
  const pipeline = sharp(image);
  let meta: Metadata;
  try {
    meta = await pipeline.metadata();
  } catch (err) {
    throw new ImageDecodeError(`not a readable image: ${reason(err)}`);
  }
  const srcWidth = meta.width ?? 0;
  const srcHeight = meta.height ?? 0;
  if (srcWidth <= 0 || srcHeight <= 0) throw new ImageDecodeError('image has no size');

  let innerW = W;
  let innerH = H;
  let padX = 0;
  let padY = 0;
  if (input.resize === 'letterbox') {
    // Exact inner dimensions, padded in the tensor, so the pad offsets are known to the pixel.
    const scale = Math.min(W / srcWidth, H / srcHeight);
    innerW = Math.max(1, Math.min(W, Math.round(srcWidth * scale)));
    innerH = Math.max(1, Math.min(H, Math.round(srcHeight * scale)));
    padX = Math.floor((W - innerW) / 2);
    padY = Math.floor((H - innerH) / 2);
  }
  const transform: InputTransform = { srcWidth, srcHeight, scaleX: srcWidth / innerW, scaleY: srcHeight / innerH, padX, padY };

  // libvips only shrinks, per axis (its upsampling is the slow part; tensor-fill does it for 'linear').
  // Other kernels keep the whole resize in libvips, as the manifest asks.
  const jsUpsample = input.interpolation === 'linear';
  const stageW = jsUpsample ? Math.min(innerW, srcWidth) : innerW;
  const stageH = jsUpsample ? Math.min(innerH, srcHeight) : innerH;
  // keepIccProfile skips colour management: camera frames carry no profile, and converting photos that do
  // (usually sRGB anyway) cost ~10 ms per frame for no change a detector can see. toColourspace is a plain
  // copy for sRGB input and turns grey, CMYK and 16-bit images into the 8-bit RGB the tensor is filled from.
  pipeline.keepIccProfile().toColourspace('srgb');
  if (meta.hasAlpha) pipeline.removeAlpha();
  if (stageW !== srcWidth || stageH !== srcHeight) pipeline.resize(stageW, stageH, { fit: 'fill', kernel: input.interpolation });

  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageDecodeError(`cannot decode image: ${reason(err)}`);
  }
  if (raw.info.channels !== 3 || raw.info.width !== stageW || raw.info.height !== stageH) {
    throw new ImageDecodeError(`resize produced ${raw.info.width}x${raw.info.height}x${raw.info.channels}, expected ${stageW}x${stageH}x3`);
  }
  const out = into && into.length === W * H * 3 ? into : new Float32Array(W * H * 3);
  fillTensor(
    { rgb: raw.data, srcWidth: stageW, srcHeight: stageH, innerWidth: innerW, innerHeight: innerH, padX, padY, padValue: input.padValue },
    input,
    out,
  );
  const dims: PreparedInput['dims'] = input.layout === 'nhwc' ? [1, H, W, 3] : [1, 3, H, W];
  return { data: out, dims, transform };
}
