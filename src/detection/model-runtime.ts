/**
 * The model the machine is running, and the only place that changes it. Start-up falls back from the
 * active model to the previous one to the shipped one, so a corrupt download can never leave the machine
 * without a detector. A swap first proves the new model on a sample frame in its own worker, then replaces
 * the reference in one step: items already being classified finish on the old model.
 */
import { createLogger } from '../log/logger.js';
import { Detector, DetectorError, type DetectorOptions, type DetectResult } from './inference/detector.js';
import type { PhotoLimits } from './inference/evidence-photo.js';
import { loadModel, type LoadedModel } from './manifest.js';
import { BASE, type ModelRef, type ModelStore } from './model-store.js';

const log = createLogger('detection');

interface Running {
  ref: ModelRef;
  model: LoadedModel;
  detector: Detector;
}

export type RuntimeStatus = 'loading' | 'ready' | 'error';

export class TrialError extends Error {
  constructor(
    readonly stage: 'load_failed' | 'trial_failed',
    message: string,
  ) {
    super(message);
  }
}

export class ModelRuntime {
  private running: Running | null = null;
  private reloading: Promise<Detector> | null = null;
  private previous: ModelRef | null = null;
  status: RuntimeStatus = 'loading';
  error: string | undefined;

  constructor(
    private readonly store: ModelStore,
    private readonly options: DetectorOptions,
    private readonly onChange: () => void,
  ) {}

  get current(): { ref: ModelRef; model: LoadedModel; loadMs: number } | null {
    return this.running && { ref: this.running.ref, model: this.running.model, loadMs: this.running.detector.loadMs };
  }

  get canRollback(): boolean {
    return this.previous !== null;
  }

  async start(): Promise<void> {
    const active = await this.store.readActive();
    const candidates = [...new Set([active.current, active.previous, BASE].filter((r): r is ModelRef => r !== null))];
    for (const ref of candidates) {
      try {
        const model = await loadModel(this.store.manifestPath(ref));
        const detector = await Detector.load(model.bytes, model.manifest, this.options);
        this.running = { ref, model, detector };
        this.previous = ref === active.current ? active.previous : null;
        if (ref !== active.current) await this.store.activate({ current: ref, previous: null });
        this.setStatus('ready');
        log.info('model loaded', { ref, name: model.manifest.name, version: model.manifest.version, loadMs: Math.round(detector.loadMs) });
        return;
      } catch (err) {
        this.error = `${ref}: ${err instanceof Error ? err.message : String(err)}`;
        log.error('model failed to load; trying the next one', { ref, error: this.error });
      }
    }
    this.setStatus('error', this.error ?? 'no model could be loaded');
  }

  /** `photo`: also make the credit's bounded photo (see Detector.detect). */
  async detect(image: Uint8Array, photo?: PhotoLimits): Promise<DetectResult> {
    if (!this.running) throw new DetectorError('not_loaded', this.error ?? 'no model loaded');
    const detector = this.running.detector.alive ? this.running.detector : await this.reload();
    return detector.detect(image, undefined, photo);
  }

  /** Load a candidate model in its own worker and run it on a sample frame; the caller swaps or closes it. */
  async trial(model: LoadedModel, sample: Uint8Array): Promise<Detector> {
    let detector: Detector;
    try {
      detector = await Detector.load(model.bytes, model.manifest, this.options);
    } catch (err) {
      throw new TrialError('load_failed', err instanceof Error ? err.message : String(err));
    }
    try {
      await detector.detect(sample);
      return detector;
    } catch (err) {
      await detector.close();
      throw new TrialError('trial_failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** Make a proven model current, remember the old one for rollback, and persist the choice. */
  async swapTo(ref: ModelRef, model: LoadedModel, detector: Detector): Promise<void> {
    const old = this.running;
    await this.store.activate({ current: ref, previous: old?.ref ?? null });
    this.running = { ref, model, detector };
    this.previous = old?.ref ?? null;
    this.setStatus('ready');
    log.info('model swapped', { from: old?.ref, to: ref, version: model.manifest.version });
    if (old) void old.detector.close();
  }

  /** Go back to the model that ran before the last swap. */
  async rollback(): Promise<void> {
    if (!this.previous) throw new Error('there is no previous model to roll back to');
    const ref = this.previous;
    const model = await loadModel(this.store.manifestPath(ref));
    const detector = await Detector.load(model.bytes, model.manifest, this.options);
    await this.swapTo(ref, model, detector);
  }

  async close(): Promise<void> {
    await this.running?.detector.close();
    this.running = null;
  }

  /** A worker that crashed or hung is replaced by a fresh one on the same model (once, shared by callers). */
  private reload(): Promise<Detector> {
    const running = this.running!;
    this.reloading ??= Detector.load(running.model.bytes, running.model.manifest, this.options)
      .then((detector) => {
        if (this.running === running) running.detector = detector;
        log.warn('inference worker restarted', { ref: running.ref });
        return detector;
      })
      .finally(() => (this.reloading = null));
    return this.reloading;
  }

  private setStatus(status: RuntimeStatus, error?: string): void {
    this.status = status;
    this.error = error;
    this.onChange();
  }
}
