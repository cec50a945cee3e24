/**
 * The inference worker: owns one onnxruntime session and runs the whole image → detections pipeline
 * (sharp decode/resize, tensor fill, session.run, decode, NMS) off the core's event loop. Requests are
 * handled one at a time, in order, so two items never compete for the same cores.
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { ModelManifest } from '../manifest.js';
import { DecodeError } from './decode-types.js';
import { evidencePhoto, type PhotoLimits } from './evidence-photo.js';
import { postprocess } from './postprocess.js';
import { ImageDecodeError, preprocess } from './preprocess.js';
import type { FromWorker, ToWorker, WorkerFailure } from './worker-protocol.js';

if (!parentPort) throw new Error('detector-worker must run as a worker thread');
const port = parentPort;

let session: ort.InferenceSession | null = null;
let manifest: ModelManifest | null = null;
let outputName = '';
/** The input tensor's buffer, filled afresh for every frame (requests run one at a time, so never while in use). */
let tensorBuffer: Float32Array | null = null;
let queue: Promise<void> = Promise.resolve();

const send = (message: FromWorker) => port.postMessage(message);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

port.on('message', (msg: ToWorker) => {
  queue = queue.then(() => handle(msg)).catch((err: unknown) => send({ type: 'failed', id: null, failure: 'inference', error: message(err) }));
});

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'load') return load(msg.model, msg.manifest, msg.threads);
  if (msg.type === 'detect') return detect(msg.id, msg.image, msg.photo);
  if (msg.type === 'infer') return infer(msg.id, msg.data, msg.dims);
  await session?.release();
  session = null;
  send({ type: 'disposed' });
  port.close();
}

async function load(model: Uint8Array, m: ModelManifest, threads: number): Promise<void> {
  const started = performance.now();
  // sharp defaults to one libvips thread on glibc (to limit heap fragmentation); the resize to the model's
  // size then costs twice as long (about 10 vs 6 ms for 640×480 → 512×512 here). Inference and
  // preprocessing never overlap, so they can use the same number of threads.
  sharp.concurrency(threads);
  // Every frame is a new buffer, so libvips' operation cache never hits; it only held up to 50 MB of old frames.
  sharp.cache(false);
  try {
    const created = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Idle intra-op threads sleep instead of spinning: the kiosk shares its cores with the core thread, sharp
      // and Chromium, and spinning threads made inference 2-3x slower under load in bench:detect.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    checkIo(created, m);
    session = created;
    manifest = m;
    tensorBuffer = new Float32Array(m.input.width * m.input.height * 3);
    outputName = m.output.name ?? created.outputNames[0]!;
    send({ type: 'loaded', loadMs: performance.now() - started });
  } catch (err) {
    send({ type: 'failed', id: null, failure: 'load', error: message(err) });
  }
}

/** Fail at load time, not at the first item, when the manifest does not describe this model. */
function checkIo(s: ort.InferenceSession, m: ModelManifest): void {
  if (!s.inputNames.includes(m.input.name)) throw new Error(`model has no input "${m.input.name}" (inputs: ${s.inputNames.join(', ')})`);
  if (m.output.name && !s.outputNames.includes(m.output.name)) {
    throw new Error(`model has no output "${m.output.name}" (outputs: ${s.outputNames.join(', ')})`);
  }
  const meta = s.inputMetadata.find((i) => i.name === m.input.name);
  const expected = m.input.layout === 'nhwc' ? [1, m.input.height, m.input.width, 3] : [1, 3, m.input.height, m.input.width];
  if (meta?.isTensor) {
    // Symbolic dimensions (strings, -1) accept anything; fixed ones must match what we will feed.
    const clash = meta.shape.some((d, i) => typeof d === 'number' && d > 0 && d !== expected[i]);
    if (clash || meta.shape.length !== 4) throw new Error(`model input is [${meta.shape.join(', ')}], manifest feeds [${expected.join(', ')}]`);
  }
}

async function infer(id: number, data: Float32Array, dims: number[]): Promise<void> {
  if (!session || !manifest) return send({ type: 'failed', id, failure: 'not_loaded', error: 'no model loaded' });
  try {
    const started = performance.now();
    await session.run({ [manifest.input.name]: new ort.Tensor('float32', data, dims) }, [outputName]);
    send({ type: 'inferred', id, inferenceMs: performance.now() - started });
  } catch (err) {
    send({ type: 'failed', id, failure: 'inference', error: message(err) });
  }
}

async function detect(id: number, image: Uint8Array, photoLimits?: PhotoLimits): Promise<void> {
  if (!session || !manifest) return send({ type: 'failed', id, failure: 'not_loaded', error: 'no model loaded' });
  const t0 = performance.now();
  let stage: WorkerFailure = 'image';
  try {
    const input = await preprocess(image, manifest.input, tensorBuffer ?? undefined);
    const t1 = performance.now();
    const { srcWidth: width, srcHeight: height } = input.transform;
    // The credit's photo is encoded (sharp, on libuv's pool) while onnxruntime infers (its own threads), not
    // after it: the photo must be durable before the gate moves, so after inference it would add its whole time.
    const photoMade = photoLimits ? photoOf(image, { width, height }, photoLimits) : null;
    stage = 'inference';
    const result = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input.data, input.dims) }, [outputName]);
    const t2 = performance.now();
    stage = 'decode';
    const tensor = result[outputName];
    if (!tensor || !(tensor.data instanceof Float32Array)) throw new DecodeError(`output "${outputName}" is not a float32 tensor`);
    const detections = postprocess({ data: tensor.data, dims: tensor.dims }, manifest, input.transform);
    const t3 = performance.now();
    const timings = { preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 };
    if (!photoMade) return send({ type: 'detected', id, detections, width, height, timings });
    const photo = await photoMade;
    // The photo's buffer is moved, not copied, to the core thread (it may be the frame itself, which is ours).
    port.postMessage({ type: 'detected', id, detections, width, height, timings, photo } satisfies FromWorker, photo.bytes ? [photo.bytes.buffer as ArrayBuffer] : []);
  } catch (err) {
    const failure = err instanceof ImageDecodeError ? 'image' : err instanceof DecodeError ? 'decode' : stage;
    send({ type: 'failed', id, failure, error: message(err) });
  }
}

/** The credit's photo; a failure to make one costs the photo, never the detections. */
async function photoOf(image: Uint8Array, size: { width: number; height: number }, limits: PhotoLimits): Promise<{ bytes: Uint8Array | null; ms: number }> {
  const started = performance.now();
  let bytes: Uint8Array | null = null;
  try {
    const made = await evidencePhoto(image, size, limits);
    // Only a buffer of its own can be moved: sharp's output may sit in a shared pool.
    bytes = made && made.byteOffset === 0 && made.byteLength === made.buffer.byteLength ? made : made && new Uint8Array(made);
  } catch {
    bytes = null;
  }
  return { bytes, ms: performance.now() - started };
}
