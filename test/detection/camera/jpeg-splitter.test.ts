import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JpegSplitter } from '../../../src/detection/camera/jpeg-splitter.js';
import { demoImage } from '../../helpers/detection.js';

const a = readFileSync(demoImage('dog.jpg'));
const b = readFileSync(demoImage('person.jpg'));

describe('JpegSplitter', () => {
  it('cuts back-to-back JPEGs into whole images, whatever the chunking', () => {
    const stream = Buffer.concat([a, b, a]);
    for (const chunkSize of [1, 7, 4096, stream.length]) {
      const splitter = new JpegSplitter();
      const images: Buffer[] = [];
      for (let i = 0; i < stream.length; i += chunkSize) images.push(...splitter.push(stream.subarray(i, i + chunkSize)));
      expect(images.map((img) => img.length)).toEqual([a.length, b.length, a.length]);
      expect(images[1]!.equals(b)).toBe(true);
    }
  });

  it('skips bytes between images and keeps an image split right at its SOI marker', () => {
    const splitter = new JpegSplitter();
    const noise = Buffer.from([1, 2, 3, 0xff]);
    expect(splitter.push(Buffer.concat([noise, Buffer.from([0xd8])]))).toEqual([]);
    const rest = splitter.push(a.subarray(2));
    expect(rest).toHaveLength(1);
    expect(rest[0]!.equals(a)).toBe(true);
  });

  it('abandons an image that grows past the size limit instead of buffering forever', () => {
    const splitter = new JpegSplitter(1000);
    expect(splitter.push(a.subarray(0, 5000))).toEqual([]);
    expect(splitter.push(b)).toHaveLength(1);
  });
});
