/**
 * The demo CenterNet model's `tower_0/detections` output: `[1, K, 6]`, rows x1, y1, x2, y2 (input pixels),
 * score, class (0-based index as a float), sorted by score, without NMS.
 */
import type { Candidate } from './nms.js';
import { DecodeError, type RawOutput } from './decode-types.js';

export function decodeCenterNet(output: RawOutput, minScore: number): Candidate[] {
  const [batch, k, width] = output.dims;
  if (output.dims.length !== 3 || batch !== 1 || width !== 6) {
    throw new DecodeError(`CenterNet output must be [1, K, 6], got [${output.dims.join(', ')}]`);
  }
  const out: Candidate[] = [];
  for (let i = 0; i < k!; i++) {
    const row = output.data.subarray(i * 6, i * 6 + 6);
    const score = row[4]!;
    if (!(score >= minScore)) continue;
    out.push({ classIndex: Math.round(row[5]!), score, box: [row[0]!, row[1]!, row[2]!, row[3]!] });
  }
  return out;
}
