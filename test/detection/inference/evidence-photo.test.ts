/**
 * The photo kept with a credit is bounded: a camera JPEG within the limits is kept byte for byte (no
 * decode, no encode); anything else is shrunk and re-encoded as JPEG; a photo that cannot get under the byte
 * cap is dropped rather than stored. Through the worker, asking for the photo never changes the detections.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../../src/detection/inference/detector.js';
import { DEFAULT_PHOTO_LIMITS, evidencePhoto } from '../../../src/detection/inference/evidence-photo.js';
import { loadModel } from '../../../src/detection/manifest.js';
import { demoImage, shippedManifest } from '../../helpers/detection.js';

const noise = (width: number, height: number) => {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
};

describe('evidencePhoto', () => {
  it('keeps a camera JPEG within the limits as it is', async () => {
    const frame = await sharp(readFileSync(demoImage('dog.jpg'))).resize(640, 480, { fit: 'fill' }).jpeg({ quality: 85 }).toBuffer();
    const photo = await evidencePhoto(frame, { width: 640, height: 480 }, DEFAULT_PHOTO_LIMITS);
    expect(photo).toBe(frame);
  });

  it('turns the 466 KB demo PNG into a JPEG of the same size under the cap', async () => {
    const png = readFileSync(demoImage('coffee.png'));
    const photo = (await evidencePhoto(png, { width: 600, height: 400 }, DEFAULT_PHOTO_LIMITS))!;
    expect(photo.length).toBeLessThanOrEqual(DEFAULT_PHOTO_LIMITS.maxBytes);
    expect(photo.length).toBeLessThan(png.length / 4);
    expect(await sharp(photo).metadata()).toMatchObject({ format: 'jpeg', width: 600, height: 400 });
  });

  it('shrinks a JPEG larger than maxSide, keeping its aspect ratio', async () => {
    const big = await noise(1600, 1200).jpeg({ quality: 70 }).toBuffer();
    const photo = (await evidencePhoto(big, { width: 1600, height: 1200 }, { maxSide: 320, quality: 80, maxBytes: 1_000_000 }))!;
    expect(await sharp(photo).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
  });

  it('re-encodes a JPEG over the byte cap at a lower quality, and gives up past the last step', async () => {
    const dense = await noise(640, 480).jpeg({ quality: 98 }).toBuffer();
    const atQuality = async (q: number) => (await noise(640, 480).jpeg({ quality: q, mozjpeg: false }).toBuffer()).length;
    const [q80, q60] = [await atQuality(80), await atQuality(60)];
    const cap = Math.floor((q80 + q60) / 2); // too much for quality 80, enough for 60
    const photo = (await evidencePhoto(dense, { width: 640, height: 480 }, { maxSide: 640, quality: 80, maxBytes: cap }))!;
    expect(photo.length).toBeLessThanOrEqual(cap);
    expect(photo.length).not.toBe(dense.length);
    expect(await evidencePhoto(dense, { width: 640, height: 480 }, { maxSide: 640, quality: 80, maxBytes: 1000 })).toBeNull();
  });
});

describe('the photo through the inference worker', () => {
  let detector: Detector;
  beforeAll(async () => {
    const model = await loadModel(shippedManifest);
    detector = await Detector.load(model.bytes, model.manifest, { threads: 2, timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('comes back beside the same detections, only when asked for', async () => {
    const png = readFileSync(demoImage('coffee.png'));
    const plain = await detector.detect(png);
    const withPhoto = await detector.detect(png, undefined, DEFAULT_PHOTO_LIMITS);
    expect(plain.photo).toBeUndefined();
    expect(withPhoto.detections).toEqual(plain.detections);
    expect(withPhoto.photo!.bytes!.length).toBeLessThanOrEqual(DEFAULT_PHOTO_LIMITS.maxBytes);
    expect((await sharp(withPhoto.photo!.bytes!).metadata()).format).toBe('jpeg');
  });

  it('hands a camera JPEG that fits back unchanged', async () => {
    const frame = await sharp(readFileSync(demoImage('person.jpg'))).resize(640, 480, { fit: 'fill' }).jpeg({ quality: 85 }).toBuffer();
    const result = await detector.detect(frame, undefined, DEFAULT_PHOTO_LIMITS);
    expect(result.photo!.bytes!.equals(frame)).toBe(true);
  });
});
