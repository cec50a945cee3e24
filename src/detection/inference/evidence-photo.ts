/**
 * The photo kept with a credit (the outbox stores it, the deposit uploads it): a JPEG of bounded size, made
 * in the inference worker so the core thread never handles more than ~100 KB per item. Every byte of the
 * photo is written, fsynced, checksummed, read back and sent over HTTP on the core thread: a 466 KB PNG cost
 * 5× the fsync floor per record against 1.2× without a photo (issue 15).
 *
 * A camera frame that is already a JPEG within the limits (a USB camera's 640×480 MJPEG frame) is kept as
 * it is: no decode, no encode. Anything else is shrunk to fit `maxSide` and encoded at `quality`; if that is
 * still over `maxBytes` the quality steps down, and past the last step there is no photo (the credit then
 * goes to the server without one, through sync-offline: a credit never waits for a picture).
 */
import sharp from 'sharp';

export interface PhotoLimits {
  /** Longest side in pixels. */
  maxSide: number;
  /** JPEG quality of a re-encoded photo (1–100). */
  quality: number;
  /** Hard cap on the stored and uploaded bytes. */
  maxBytes: number;
}

/** The server accepts up to 5120 KB (contract §1.6); these keep a record's disk work near the fsync floor. */
export const DEFAULT_PHOTO_LIMITS: PhotoLimits = { maxSide: 640, quality: 80, maxBytes: 150_000 };

/** Quality steps tried, from `quality` down, when a photo comes out over `maxBytes`. */
const FALLBACK_QUALITIES = [60, 40];

export const isJpeg = (bytes: Uint8Array): boolean => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

/**
 * The bounded photo for `image` (whose pixel size the caller already knows from decoding it), or null when
 * none fits. `image` itself is returned when it already fits, so the caller can hand its buffer on.
 */
export async function evidencePhoto(image: Uint8Array, size: { width: number; height: number }, limits: PhotoLimits): Promise<Uint8Array | null> {
  if (isJpeg(image) && Math.max(size.width, size.height) <= limits.maxSide && image.length <= limits.maxBytes) return image;
  // No colour management (as for the model's input) and no metadata: a smaller file, and the photo shows what
  // the model saw. EXIF orientation is not applied either, for the same reason.
  const shrunk = sharp(image).keepIccProfile().toColourspace('srgb').removeAlpha().resize({
    width: limits.maxSide,
    height: limits.maxSide,
    fit: 'inside',
    withoutEnlargement: true,
  });
  for (const quality of [limits.quality, ...FALLBACK_QUALITIES.filter((q) => q < limits.quality)]) {
    // mozjpeg's trellis quantisation saves ~10 % of bytes at several times the CPU: not worth it here.
    const encoded = await shrunk.clone().jpeg({ quality, mozjpeg: false }).toBuffer();
    if (encoded.length <= limits.maxBytes) return encoded;
  }
  return null;
}
