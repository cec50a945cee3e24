/**
 * The ONNX check a downloaded model passes before its trial: real ONNX files (the shipped CenterNet, a
 * suite-built YOLO graph, one with an extra protobuf field appended) pass; PyTorch files (zip, pickle), other
 * formats and arbitrary bytes are refused with a reason a technician can act on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPyTorchName, notOnnxReason } from '../../../src/detection/model-sync/onnx-check.js';
import { repoRoot, tempDir, tinyYoloModel } from '../../helpers/detection.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

let n = 0;
async function check(bytes: Buffer): Promise<string | null> {
  const file = path.join(tmp.dir, `m${n++}`);
  writeFileSync(file, bytes);
  return notOnnxReason(file);
}

const centernet = readFileSync(path.join(repoRoot, 'assets', 'models', 'centernet.onnx'));

describe('notOnnxReason', () => {
  it('passes real ONNX models, also with fields in another order', async () => {
    expect(await check(centernet)).toBeNull();
    expect(await check(tinyYoloModel([{ cx: 1, cy: 1, w: 1, h: 1, scores: [0.9, 0, 0, 0] }]))).toBeNull();
    const note = Buffer.from('appended doc string');
    expect(await check(Buffer.concat([centernet, Buffer.from([(6 << 3) | 2, note.length]), note]))).toBeNull();
  });

  it.each([
    ['a PyTorch zip (.pt since torch 1.6)', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 1)]), /zip archive \(a PyTorch \.pt model\)/],
    ['a legacy PyTorch pickle', Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc]), /Python pickle/],
    ['an HDF5 Keras model', Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(32)]), /HDF5/],
    ['text', Buffer.from('these bytes hash fine but are not ONNX'), /.+/],
    ['an ONNX file cut short', centernet.subarray(0, Math.floor(centernet.length / 2)), /past the end/],
    ['an empty file', Buffer.alloc(0), /no ONNX graph/],
  ])('refuses %s', async (_name, bytes, reason) => {
    expect(await check(bytes)).toMatch(reason);
  });
});

describe('isPyTorchName', () => {
  it.each([
    ['https://myrvm.example.id/storage/models/best.pt', true],
    ['/models/yolo11n.PT?sig=abc', true],
    ['/models/best.pth', true],
    ['/api/v1/edge/download-model/abc123', false],
    ['/models/best.onnx', false],
  ])('%s → %s', (url, expected) => {
    expect(isPyTorchName(url)).toBe(expected);
  });
});
