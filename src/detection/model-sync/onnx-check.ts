/**
 * Is a downloaded file an ONNX model? The real MyRVM models are Ultralytics `.pt` files (PyTorch: a zip,
 * or an older pickle), which onnxruntime would refuse with an obscure parse error; this says plainly why
 * instead. An ONNX file is one protobuf `ModelProto`: its top-level fields, read tag by tag, must cover the
 * file exactly, and it must carry `ir_version` (field 1, varint) and a `graph` (field 7, length-delimited).
 * Only the field headers are read (a few dozen bytes), never the weights. Whether the graph then runs is the
 * trial's job.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** null: looks like ONNX; otherwise why not, for the technician and the log. */
export async function notOnnxReason(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = await readAt(handle, 0, 8);
    const known = knownFormat(head);
    if (known) return `the file is ${known}, not ONNX`;
    return await checkTopLevel(handle, size);
  } finally {
    await handle.close();
  }
}

/** A model URL or file name that is plainly PyTorch, refused before downloading anything. */
export function isPyTorchName(url: string): boolean {
  const pathname = (() => {
    try {
      return new URL(url, 'http://x').pathname;
    } catch {
      return url;
    }
  })();
  return /\.(pt|pth|torchscript)$/i.test(pathname);
}

function knownFormat(head: Buffer): string | null {
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'a zip archive (a PyTorch .pt model)';
  if (head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5) return 'a Python pickle (a PyTorch .pt model)';
  if (head.subarray(1, 4).toString('latin1') === 'HDF') return 'an HDF5 file (a Keras model)';
  if (head.subarray(4, 8).toString('latin1') === 'TFL3') return 'a TensorFlow Lite model';
  return null;
}

const MAX_FIELDS = 10_000;

async function checkTopLevel(handle: FileHandle, size: number): Promise<string | null> {
  let pos = 0;
  let fields = 0;
  let hasVersion = false;
  let hasGraph = false;
  while (pos < size) {
    if (++fields > MAX_FIELDS) return 'too many top-level fields for an ONNX model';
    const tag = await varintAt(handle, pos, size);
    if (!tag) return `unreadable protobuf field at byte ${pos}`;
    pos += tag.length;
    const field = Number(tag.value >> 3n);
    const wire = Number(tag.value & 7n);
    if (field === 0) return `invalid protobuf field number at byte ${pos}`;
    if (wire === 0) {
      const v = await varintAt(handle, pos, size);
      if (!v) return `unreadable value at byte ${pos}`;
      pos += v.length;
      if (field === 1) hasVersion = true;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
    } else if (wire === 2) {
      const len = await varintAt(handle, pos, size);
      if (!len) return `unreadable length at byte ${pos}`;
      pos += len.length + Number(len.value);
      if (field === 7) hasGraph = true;
    } else {
      return `not a protobuf message (wire type ${wire} at byte ${pos})`;
    }
  }
  if (pos !== size) return 'the last field runs past the end of the file';
  if (!hasGraph || !hasVersion) return 'no ONNX graph or IR version in the file';
  return null;
}

async function varintAt(handle: FileHandle, pos: number, size: number): Promise<{ value: bigint; length: number } | null> {
  const bytes = await readAt(handle, pos, Math.min(10, size - pos));
  let value = 0n;
  for (let i = 0; i < bytes.length; i += 1) {
    value |= BigInt(bytes[i]! & 0x7f) << BigInt(7 * i);
    if ((bytes[i]! & 0x80) === 0) return { value, length: i + 1 };
  }
  return null;
}

async function readAt(handle: FileHandle, pos: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, pos);
  return buffer.subarray(0, bytesRead);
}
