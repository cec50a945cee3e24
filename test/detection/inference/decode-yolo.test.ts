/**
 * The YOLO decoder against a real onnxruntime run: the suite builds an ONNX graph whose output is a known
 * YOLOv8-layout tensor, runs it, and decodes what the runtime returns.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeYolo } from '../../../src/detection/inference/decode-yolo.js';
import { DecodeError } from '../../../src/detection/inference/decode-types.js';
import { buildConstantModel, yoloOutput } from '../../helpers/onnx.js';

async function runModel(bytes: Buffer, inputDims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const size = inputDims.reduce((a, b) => a * b, 1);
    const result = await session.run({ images: new ort.Tensor('float32', new Float32Array(size), inputDims) });
    const out = result[session.outputNames[0]!]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

const candidates = [
  { cx: 100, cy: 120, w: 40, h: 80, scores: [0.05, 0.91, 0.1] },
  { cx: 300, cy: 200, w: 60, h: 20, scores: [0.72, 0.02, 0.3] },
  { cx: 10, cy: 10, w: 4, h: 4, scores: [0.1, 0.15, 0.05] },
];

describe('decodeYolo on a real onnxruntime output', () => {
  it('reads [1, 4+C, N]: box centre/size to corners, best class and its score, low scores dropped', async () => {
    const model = buildConstantModel({
      inputName: 'images',
      inputDims: [1, 3, 32, 32],
      outputName: 'output0',
      outputDims: [1, 7, 3],
      output: yoloOutput(3, candidates),
    });
    const output = await runModel(model, [1, 3, 32, 32]);
    expect(output.dims).toEqual([1, 7, 3]);
    const decoded = decodeYolo(output, 3, 0.2);
    expect(decoded).toHaveLength(2);
    expect(decoded[0]).toMatchObject({ classIndex: 1, box: [80, 80, 120, 160] });
    expect(decoded[0]!.score).toBeCloseTo(0.91, 5);
    expect(decoded[1]).toMatchObject({ classIndex: 0, box: [270, 190, 330, 210] });
    expect(decoded[1]!.score).toBeCloseTo(0.72, 5);
  });

  it('reads the transposed [1, N, 4+C] layout some converters produce', async () => {
    const rows = candidates.flatMap((c) => [c.cx, c.cy, c.w, c.h, ...c.scores]);
    const model = buildConstantModel({ inputName: 'images', inputDims: [1, 3, 32, 32], outputName: 'output0', outputDims: [1, 3, 7], output: rows });
    const decoded = decodeYolo(await runModel(model, [1, 3, 32, 32]), 3, 0.2);
    expect(decoded.map((d) => d.classIndex)).toEqual([1, 0]);
    expect(decoded[1]!.box).toEqual([270, 190, 330, 210]);
  });

  it('refuses an output whose shape does not fit the number of labels', () => {
    expect(() => decodeYolo({ data: new Float32Array(14), dims: [1, 7, 2] }, 5, 0.2)).toThrow(DecodeError);
    expect(() => decodeYolo({ data: new Float32Array(6), dims: [1, 6] }, 2, 0.2)).toThrow(/\[1, 6, N\]/);
  });
});
