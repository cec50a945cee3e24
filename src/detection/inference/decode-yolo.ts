/**
 * YOLOv8 / YOLO11 detection exports (Ultralytics ONNX): one output `[1, 4 + classes, N]`, each of the N
 * columns holding cx, cy, w, h in input pixels followed by one (already sigmoid-ed) score per class. No
 * objectness column and no NMS inside. Some converters transpose it to `[1, N, 4 + classes]`; both are read.
 */
import type { Candidate } from './nms.js';
import { DecodeError, type RawOutput } from './decode-types.js';

export function decodeYolo(output: RawOutput, classes: number, minScore: number): Candidate[] {
  const [batch, a, b] = output.dims;
  const rows = 4 + classes;
  if (output.dims.length !== 3 || batch !== 1 || (a !== rows && b !== rows)) {
    throw new DecodeError(`YOLO output must be [1, ${rows}, N] for ${classes} classes, got [${output.dims.join(', ')}]`);
  }
  const transposed = a !== rows;
  const n = transposed ? a! : b!;
  const at = transposed ? (r: number, j: number) => output.data[j * rows + r]! : (r: number, j: number) => output.data[r * n + j]!;
  const out: Candidate[] = [];
  for (let j = 0; j < n; j++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < classes; c++) {
      const s = at(4 + c, j);
      if (s > score) [score, best] = [s, c];
    }
    if (score < minScore) continue;
    const cx = at(0, j);
    const cy = at(1, j);
    const w = at(2, j);
    const h = at(3, j);
    out.push({ classIndex: best, score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2] });
  }
  return out;
}
