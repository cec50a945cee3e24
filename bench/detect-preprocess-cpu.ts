/**
 * Preprocessing alone, old path against new, on the core thread with libvips on one thread: CPU time per
 * frame (process.cpuUsage, every thread of the process), the least of `rounds` tries per photo, then the mean
 * over the photos. CPU time, not wall time, so the comparison holds on a machine other agents are loading.
 */
import sharp from 'sharp';
import { preprocess } from '../src/detection/inference/preprocess.js';
import type { ModelManifest } from '../src/detection/manifest.js';
import { previousPreprocess } from '../test/helpers/previous-preprocess.js';

async function cpuMs(fn: () => Promise<unknown>, rounds: number): Promise<number> {
  let least = Infinity;
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
}

export async function preprocessCpu(photos: Buffer[], input: ModelManifest['input'], rounds = 8): Promise<{ previousMs: number; currentMs: number }> {
  const threads = sharp.concurrency();
  sharp.concurrency(1);
  const buffer = new Float32Array(input.width * input.height * 3);
  let previous = 0;
  let current = 0;
  try {
    for (const photo of photos) {
      previous += await cpuMs(() => previousPreprocess(photo, input), rounds);
      current += await cpuMs(() => preprocess(photo, input, buffer), rounds);
    }
  } finally {
    sharp.concurrency(threads);
  }
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return { previousMs: round2(previous / photos.length), currentMs: round2(current / photos.length) };
}
