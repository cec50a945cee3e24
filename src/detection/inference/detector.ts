/**
 * The core thread's handle on one loaded model: starts the inference worker, loads the model into it and
 * sends it images. Every call has a deadline; a worker that misses it is terminated (a stuck native call
 * cannot be interrupted any other way), so a bad frame or model can never hang an item.
 */
import type { Worker } from 'node:worker_threads';
import type { ModelManifest } from '../manifest.js';
import type { PhotoLimits } from './evidence-photo.js';
import { startWorker } from './start-worker.js';
import type { FromWorker, StageTimings, ToWorker, WorkerFailure } from './worker-protocol.js';

export type DetectorFailure = WorkerFailure | 'timeout' | 'crashed';

export class DetectorError extends Error {
  constructor(readonly failure: DetectorFailure, message: string) {
    super(message);
  }
}

export interface DetectResult {
  detections: Extract<FromWorker, { type: 'detected' }>['detections'];
  width: number;
  height: number;
  timings: StageTimings & { totalMs: number };
  /** When asked for: the bounded photo to keep with a credit (null when none fits) and the worker's time on it. */
  photo?: { bytes: Buffer | null; ms: number };
}

export interface DetectorOptions {
  threads: number;
  timeoutMs: number;
}

interface Pending {
  resolve: (message: FromWorker) => void;
  reject: (err: DetectorError) => void;
  timer: NodeJS.Timeout;
}

export class Detector {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: string | null = null;
  loadMs = 0;

  private constructor(
    private readonly worker: Worker,
    readonly manifest: ModelManifest,
    private readonly timeoutMs: number,
  ) {
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (err) => this.fail('crashed', `inference worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.fail('crashed', `inference worker exited (code ${code})`));
  }

  /** Start a worker and load the model; rejects with DetectorError('load') when the model does not load. */
  static async load(model: Uint8Array, manifest: ModelManifest, options: DetectorOptions): Promise<Detector> {
    const detector = new Detector(startWorker('detector-worker', import.meta.url), manifest, options.timeoutMs);
    try {
      const copy = new Uint8Array(model);
      const reply = await detector.request(0, { type: 'load', model: copy, manifest, threads: options.threads }, options.timeoutMs, [copy.buffer]);
      if (reply.type === 'loaded') detector.loadMs = reply.loadMs;
      return detector;
    } catch (err) {
      await detector.close();
      throw err;
    }
  }

  get alive(): boolean {
    return this.dead === null;
  }

  /** `photo`: also make the credit's bounded photo, in the worker (evidence-photo.ts). */
  async detect(image: Uint8Array, timeoutMs = this.timeoutMs, photo?: PhotoLimits): Promise<DetectResult> {
    const started = performance.now();
    const id = this.nextId++;
    // A private copy is moved, not cloned, to the worker (the caller's Buffer may share a pooled slab).
    const copy = new Uint8Array(image);
    const reply = await this.request(id, { type: 'detect', id, image: copy, ...(photo ? { photo } : {}) }, timeoutMs, [copy.buffer]);
    if (reply.type !== 'detected') throw new DetectorError('crashed', `unexpected worker reply ${reply.type}`);
    const { detections, width, height, timings } = reply;
    const result: DetectResult = { detections, width, height, timings: { ...timings, totalMs: performance.now() - started } };
    if (reply.photo) {
      const bytes = reply.photo.bytes;
      result.photo = { bytes: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null, ms: reply.photo.ms };
    }
    return result;
  }

  /** session.run alone on a prepared tensor, timed inside the worker: the floor the pipeline is compared to. */
  async inferPrepared(data: Float32Array, dims: number[]): Promise<number> {
    const id = this.nextId++;
    const reply = await this.request(id, { type: 'infer', id, data: new Float32Array(data), dims });
    if (reply.type !== 'inferred') throw new DetectorError('crashed', `unexpected worker reply ${reply.type}`);
    return reply.inferenceMs;
  }

  /** Stop after the requests already sent have been answered (the worker handles messages in order). */
  async close(): Promise<void> {
    if (this.dead !== null) return;
    await this.request(-1, { type: 'dispose' }).catch(() => undefined);
    this.fail('crashed', 'detector closed');
    await this.worker.terminate();
  }

  private request(id: number, message: ToWorker, timeoutMs = this.timeoutMs, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    if (this.dead !== null) return Promise.reject(new DetectorError('crashed', this.dead));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail('timeout', `inference worker gave no answer within ${timeoutMs} ms`);
        void this.worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage(message, transfer);
    });
  }

  private onMessage(msg: FromWorker): void {
    // Load and dispose replies carry no id of their own: they answer the request parked under 0 / -1.
    const id = msg.type === 'detected' || msg.type === 'inferred' ? msg.id : msg.type === 'loaded' ? 0 : msg.type === 'disposed' ? -1 : (msg.id ?? 0);
    const waiter = this.pending.get(id);
    if (!waiter) return;
    this.pending.delete(id);
    clearTimeout(waiter.timer);
    if (msg.type === 'failed') waiter.reject(new DetectorError(msg.failure, msg.error));
    else waiter.resolve(msg);
  }

  private fail(failure: DetectorFailure, reason: string): void {
    if (this.dead === null) this.dead = reason;
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new DetectorError(failure, reason));
      this.pending.delete(id);
    }
  }
}
