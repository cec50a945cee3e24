/**
 * Brings the running model in line with the server's announcement: download (resumable) → verify sha256 →
 * install beside a manifest → load and run on a sample frame in a separate worker → swap. Any failure leaves
 * the running model untouched and is reported with a reason. The network is an injected fetch, so this does
 * not depend on the server client, and one check runs at a time.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { z } from 'zod';
import type { ModelSyncState as ModelSyncStateSchema } from '../../contract/detection.js';
import { createLogger } from '../../log/logger.js';
import { loadModel, parseManifest, type ModelManifest } from '../manifest.js';
import type { ModelRuntime } from '../model-runtime.js';
import { TrialError } from '../model-runtime.js';
import type { ModelStore } from '../model-store.js';
import type { ModelAnnouncement } from './announcement.js';
import { DownloadError, downloadResumable, originOf, type FetchLike } from './download.js';
import { isPyTorchName, notOnnxReason } from './onnx-check.js';

const log = createLogger('model-sync');

export type ModelSyncState = z.output<typeof ModelSyncStateSchema>;
export type SyncFailure = NonNullable<ModelSyncState['failure']>;
export type SyncOutcome =
  | { result: 'up_to_date' }
  | { result: 'updated'; version: string; ref: string }
  | { result: 'failed'; failure: SyncFailure; detail: string };

export interface ModelSyncDeps {
  fetch: FetchLike;
  /** The server link's base URL (resolves relative download URLs) and its credentials (see ModelSource). */
  source: () => ModelSource;
  store: ModelStore;
  runtime: Pick<ModelRuntime, 'current' | 'trial' | 'swapTo'>;
  /** The manifest a downloaded model inherits its input spec, decoder, labels and materials from. */
  template: () => Promise<ModelManifest>;
  sampleFrame: () => Promise<Uint8Array>;
  maxBytes: number;
  onState: (state: ModelSyncState) => void;
  /**
   * Deadline for one download attempt (default DEFAULT_DOWNLOAD_TIMEOUT_MS). Without one, a server dripping a
   * byte a second held the check, and every later announcement joined it, forever; the part file is kept, so
   * the next attempt resumes where this one was cut.
   */
  downloadTimeoutMs?: number;
}

/** 30 minutes: a 50 MB model over a link as slow as 28 KB/s still arrives in one attempt. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

/**
 * Where models come from. `headers` are credentials (the edge API key): they are sent only to URLs on
 * `baseUrl`'s origin (scheme, host, port). A download URL on another origin, given as such or reached by a
 * redirect, is fetched without them, and only because its bytes must match the announced sha256; without a
 * usable sha256 nothing is downloaded at all. Without `baseUrl` the headers are never sent.
 */
export interface ModelSource {
  baseUrl?: string;
  headers?: Record<string, string>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const idleSync: ModelSyncState = { phase: 'idle', targetVersion: null, receivedBytes: 0, totalBytes: null };

export class ModelSync {
  state: ModelSyncState = idleSync;
  private running: Promise<SyncOutcome> | null = null;
  /** Hashes whose bytes arrived whole but were wrong or did not run: not fetched again unless forced. */
  private readonly rejected = new Map<string, { failure: SyncFailure; detail: string }>();

  constructor(private readonly deps: ModelSyncDeps) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Check an announcement; a second call while one runs joins it. `force` retries a hash that failed before. */
  check(announcement: ModelAnnouncement, options: { force?: boolean } = {}): Promise<SyncOutcome> {
    this.running ??= this.run(announcement, options.force ?? false).finally(() => (this.running = null));
    return this.running;
  }

  private async run(a: ModelAnnouncement, force: boolean): Promise<SyncOutcome> {
    const sha256 = a.sha256.toLowerCase();
    if (this.deps.runtime.current?.model.manifest.sha256 === sha256) {
      this.set({ phase: 'up_to_date', targetVersion: a.version, receivedBytes: 0, totalBytes: null });
      return { result: 'up_to_date' };
    }
    const known = this.rejected.get(sha256);
    if (known && !force) return this.fail(a, known.failure, `${known.detail} (not retried)`);

    // The hash check below is what makes a keyless download from another origin safe: no hash, no download.
    if (!SHA256_HEX.test(sha256)) return this.fail(a, 'http_error', 'the announcement has no sha256 to check the file against: not downloaded');
    // MyRVM's models are Ultralytics .pt files: say so instead of downloading megabytes onnxruntime cannot read.
    if (isPyTorchName(a.url)) return this.reject(a, 'not_onnx', 'the server offers a PyTorch .pt model; this kiosk runs ONNX only: convert it and upload the .onnx (docs/detection.md)');
    const file = this.deps.store.partFile(sha256);
    const source = this.deps.source();
    const authOrigin = source.baseUrl === undefined ? null : originOf(source.baseUrl);
    let url: string;
    try {
      url = new URL(a.url, source.baseUrl).href;
    } catch {
      return this.fail(a, 'http_error', `cannot resolve download URL "${a.url}"`);
    }
    this.set({ phase: 'downloading', targetVersion: a.version, receivedBytes: 0, totalBytes: null });
    const timeoutMs = this.deps.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
    try {
      let lastReport = 0;
      await downloadResumable({
        signal: AbortSignal.timeout(timeoutMs),
        fetch: this.deps.fetch,
        url,
        file,
        ...(authOrigin === null ? {} : { authOrigin, authHeaders: source.headers ?? {} }),
        // Safe only because the sha256 check after the download is unconditional (see above and below).
        crossOrigin: 'keyless',
        maxBytes: this.deps.maxBytes,
        onProgress: (receivedBytes, totalBytes) => {
          if (Date.now() - lastReport < 250 && receivedBytes !== totalBytes) return;
          lastReport = Date.now();
          this.set({ ...this.state, receivedBytes, totalBytes });
        },
      });
    } catch (err) {
      const failure = err instanceof DownloadError ? err.failure : 'http_error';
      if (failure === 'too_large') await rm(file, { force: true });
      const message = err instanceof Error ? err.message : String(err);
      return this.fail(a, failure, /aborted due to timeout|TimeoutError/.test(message) ? `download timed out after ${timeoutMs} ms: ${message}` : message);
    }

    this.set({ ...this.state, phase: 'verifying' });
    const actual = await hashFile(file);
    if (actual !== sha256) {
      await rm(file, { force: true });
      return this.reject(a, 'hash_mismatch', `downloaded file has sha256 ${actual}, the server announced ${sha256}`);
    }

    const notOnnx = await notOnnxReason(file).catch((err: unknown) => `cannot read the download: ${String(err)}`);
    if (notOnnx) {
      await rm(file, { force: true });
      return this.reject(a, 'not_onnx', `${notOnnx}; this kiosk runs ONNX only: convert the model (docs/detection.md)`);
    }

    this.set({ ...this.state, phase: 'trial' });
    let ref: string;
    let manifest: ModelManifest;
    try {
      const template = await this.deps.template();
      manifest = parseManifest({ ...template, name: a.name ?? template.name, version: a.version, sha256, file: 'model.onnx' }, 'synced model');
      ref = await this.deps.store.install(manifest, file);
    } catch (err) {
      return this.fail(a, 'install_failed', err instanceof Error ? err.message : String(err));
    }
    try {
      const model = await loadModel(this.deps.store.manifestPath(ref));
      const detector = await this.deps.runtime.trial(model, await this.deps.sampleFrame());
      await this.deps.runtime.swapTo(ref, model, detector);
    } catch (err) {
      await this.deps.store.remove(ref);
      const failure = err instanceof TrialError ? err.stage : 'install_failed';
      return this.reject(a, failure, err instanceof Error ? err.message : String(err));
    }
    this.set({ ...this.state, phase: 'swapped' });
    log.info('model updated', { version: a.version, ref });
    return { result: 'updated', version: a.version, ref };
  }

  private reject(a: ModelAnnouncement, failure: SyncFailure, detail: string): SyncOutcome {
    this.rejected.set(a.sha256.toLowerCase(), { failure, detail });
    return this.fail(a, failure, detail);
  }

  private fail(a: ModelAnnouncement, failure: SyncFailure, detail: string): SyncOutcome {
    log.warn('model update failed; keeping the current model', { version: a.version, failure, detail });
    this.set({ ...this.state, phase: 'failed', targetVersion: a.version, failure, detail });
    return { result: 'failed', failure, detail };
  }

  private set(next: ModelSyncState): void {
    const { failure: _f, detail: _d, ...rest } = next;
    this.state = next.phase === 'failed' ? next : rest;
    this.deps.onState(this.state);
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
