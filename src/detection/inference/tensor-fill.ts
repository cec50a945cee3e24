/**
 * Interleaved RGB bytes → the model's float tensor, in one pass: channel order, value range, mean/std, layout
 * (NHWC or NCHW), letterbox padding, and — when the decoded image is smaller than the model's input on an
 * axis — linear (triangle) upsampling on that axis.
 *
 * Why upsampling is done here and not by libvips: libvips downsamples cheaply (reduceh/reducev) but upsamples
 * through its generic affine transform, which cost 6–8 ms of CPU for a 640×480 camera frame → 512×512 (the
 * 480 → 512 rows), several times what this loop costs. The sampling copies what that affine step did, so the
 * model sees what it saw before up to rounding (test/detection/inference/preprocess-equivalence.test.ts):
 * output pixel i reads source position i·(in/out) − 0.5 with edges repeated, on BOTH axes as soon as either
 * grows — libvips applied its affine to the whole image, so an axis that did not grow was shifted by half a
 * pixel too. A properly centred sampling was tried and moved weak scores by up to 0.1.
 */
import type { ModelManifest } from '../manifest.js';

export interface FillSpec {
  /** The decoded image: `srcWidth`×`srcHeight`, 3 bytes per pixel. */
  rgb: Uint8Array;
  srcWidth: number;
  srcHeight: number;
  /** Where the image goes in the tensor: its size after resizing and its top-left corner. */
  innerWidth: number;
  innerHeight: number;
  padX: number;
  padY: number;
  /** Raw value of the padding (letterbox), before range/mean/std. */
  padValue: number;
}

/** Source index and weight of the next pixel, per output position, for linear resampling of one axis (see above). */
function axisTable(src: number, out: number): { lo: Int32Array; hi: Int32Array; w: Float32Array } {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const w = new Float32Array(out);
  const ratio = src / out;
  for (let i = 0; i < out; i++) {
    const at = Math.min(src - 1, Math.max(0, i * ratio - 0.5));
    const base = Math.floor(at);
    lo[i] = base;
    hi[i] = Math.min(src - 1, base + 1);
    w[i] = at - base;
  }
  return { lo, hi, w };
}

function sameRows(count: number): ReturnType<typeof axisTable> {
  const rows = Int32Array.from({ length: count }, (_, y) => y);
  return { lo: rows, hi: rows, w: new Float32Array(count) };
}

/** Per output channel: which source byte (0..2) and the affine map raw → model value. */
function channelMaps(input: ModelManifest['input']): { src: number[]; scale: number[]; offset: number[] } {
  const [rangeScale, rangeOffset] = input.range === '0-255' ? [1, 0] : input.range === '0-1' ? [1 / 255, 0] : [2 / 255, -1];
  const mean = input.mean ?? [0, 0, 0];
  const std = input.std ?? [1, 1, 1];
  const src: number[] = [];
  const scale: number[] = [];
  const offset: number[] = [];
  for (let c = 0; c < 3; c++) {
    src.push(input.channels === 'rgb' ? c : 2 - c);
    scale.push(rangeScale / std[c]!);
    offset.push((rangeOffset - mean[c]!) / std[c]!);
  }
  return { src, scale, offset };
}

/**
 * Fill `out` (length width×height×3 of the model input) from `spec`. `out` may be a buffer reused from the
 * previous frame: every element is written.
 */
export function fillTensor(spec: FillSpec, input: ModelManifest['input'], out: Float32Array): Float32Array {
  const { width: W, height: H } = input;
  const plane = W * H;
  if (out.length !== plane * 3) throw new RangeError(`tensor buffer holds ${out.length} values, the model takes ${plane * 3}`);
  const { rgb, srcWidth: sw, srcHeight: sh, innerWidth: iw, innerHeight: ih, padX, padY } = spec;
  if (sw > iw || sh > ih) throw new RangeError(`image ${sw}x${sh} is larger than its place ${iw}x${ih}: downsample first`);
  const maps = channelMaps(input);
  const nchw = input.layout === 'nchw';
  // The shipped model's case (same size, raw RGB, NHWC): a plain widening copy, done natively.
  if (sw === W && sh === H && !nchw && isIdentity(maps)) {
    out.set(rgb);
    return out;
  }
  if (iw < W || ih < H) fillPad(out, plane, nchw, spec.padValue, maps);
  if (sw === iw && sh < ih && !nchw && isIdentity(maps)) {
    growRowsRaw(spec, W, out);
    return out;
  }
  // Same size on both axes: no resampling at all (a plain copy, normalised). Otherwise separable: resample
  // each row, then blend pairs of rows into the tensor.
  const same = sw === iw && sh === ih;
  const rows = same ? rgb : resampleRows(rgb, sw, sh, iw);
  const ys = same ? sameRows(ih) : axisTable(sh, ih);
  const rowValues = iw * 3;
  const [s0, s1, s2] = maps.src as [number, number, number];
  const [k0, k1, k2] = maps.scale as [number, number, number];
  const [b0, b1, b2] = maps.offset as [number, number, number];
  for (let y = 0; y < ih; y++) {
    const top = ys.lo[y]! * rowValues;
    const bottom = ys.hi[y]! * rowValues;
    const wy = ys.w[y]!;
    const p = (y + padY) * W + padX;
    if (nchw) {
      for (let x = 0, j = 0, i = p; x < iw; x++, j += 3, i++) {
        let a = rows[top + j + s0]!;
        out[i] = (a + (rows[bottom + j + s0]! - a) * wy) * k0 + b0;
        a = rows[top + j + s1]!;
        out[i + plane] = (a + (rows[bottom + j + s1]! - a) * wy) * k1 + b1;
        a = rows[top + j + s2]!;
        out[i + 2 * plane] = (a + (rows[bottom + j + s2]! - a) * wy) * k2 + b2;
      }
    } else {
      for (let x = 0, j = 0, i = p * 3; x < iw; x++, j += 3, i += 3) {
        let a = rows[top + j + s0]!;
        out[i] = (a + (rows[bottom + j + s0]! - a) * wy) * k0 + b0;
        a = rows[top + j + s1]!;
        out[i + 1] = (a + (rows[bottom + j + s1]! - a) * wy) * k1 + b1;
        a = rows[top + j + s2]!;
        out[i + 2] = (a + (rows[bottom + j + s2]! - a) * wy) * k2 + b2;
      }
    }
  }
  return out;
}

/**
 * The camera frame on the shipped model (width already reduced by libvips, rows to grow, raw RGB, NHWC):
 * the half-pixel shift across and the row blend down in one pass over the bytes, no intermediate rows.
 */
function growRowsRaw(spec: FillSpec, W: number, out: Float32Array): void {
  const { rgb, srcWidth: sw, srcHeight: sh, innerHeight: ih, padX, padY } = spec;
  const ys = axisTable(sh, ih);
  const rowBytes = sw * 3;
  for (let y = 0; y < ih; y++) {
    const t = ys.lo[y]! * rowBytes;
    const b = ys.hi[y]! * rowBytes;
    const wy = ys.w[y]!;
    const o = ((y + padY) * W + padX) * 3;
    for (let c = 0; c < 3; c++) out[o + c] = rgb[t + c]! + (rgb[b + c]! - rgb[t + c]!) * wy;
    for (let j = 3; j < rowBytes; j++) {
      const up = rgb[t + j - 3]! + rgb[t + j]!;
      const down = rgb[b + j - 3]! + rgb[b + j]!;
      out[o + j] = (up + (down - up) * wy) * 0.5;
    }
  }
}

function isIdentity(maps: ReturnType<typeof channelMaps>): boolean {
  return maps.src.every((s, c) => s === c) && maps.scale.every((k) => k === 1) && maps.offset.every((b) => b === 0);
}

function fillPad(out: Float32Array, plane: number, nchw: boolean, padValue: number, maps: ReturnType<typeof channelMaps>): void {
  for (let c = 0; c < 3; c++) {
    const value = padValue * maps.scale[c]! + maps.offset[c]!;
    if (nchw) out.fill(value, c * plane, (c + 1) * plane);
    else for (let i = c; i < out.length; i += 3) out[i] = value;
  }
}

/** Scratch rows, kept between frames (one worker fills one tensor at a time; this is synchronous). */
let scratch = new Float32Array(0);

/** Each source row linearly resampled to `width` pixels (floats, source channel order). */
function resampleRows(rgb: Uint8Array, sw: number, sh: number, width: number): Float32Array {
  const size = sh * width * 3;
  if (scratch.length < size) scratch = new Float32Array(size);
  const wide = scratch;
  if (sw === width) {
    // Same width: the half-pixel shift alone, i.e. the mean of each pixel and its left neighbour.
    const rowBytes = sw * 3;
    for (let y = 0, o = 0; y < sh; y++, o += rowBytes) {
      wide[o] = rgb[o]!;
      wide[o + 1] = rgb[o + 1]!;
      wide[o + 2] = rgb[o + 2]!;
      for (let j = o + 3, end = o + rowBytes; j < end; j++) wide[j] = (rgb[j - 3]! + rgb[j]!) * 0.5;
    }
    return wide;
  }
  const xs = axisTable(sw, width);
  for (let y = 0, o = 0; y < sh; y++) {
    const row = y * sw * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const l = row + xs.lo[x]! * 3;
      const r = row + xs.hi[x]! * 3;
      const w = xs.w[x]!;
      let a = rgb[l]!;
      wide[o] = a + (rgb[r]! - a) * w;
      a = rgb[l + 1]!;
      wide[o + 1] = a + (rgb[r + 1]! - a) * w;
      a = rgb[l + 2]!;
      wide[o + 2] = a + (rgb[r + 2]! - a) * w;
    }
  }
  return wide;
}
