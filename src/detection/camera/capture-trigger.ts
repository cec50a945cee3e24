/**
 * Photographs the item when the machine says one is present, after a short settle delay (the item may still
 * be rolling), so the photo is usually ready by the time the session asks to classify it. Without a recent
 * trigger (technician test, or a flow that did not see the beam) the camera is asked directly.
 */
import { CameraUnavailableError, type CameraSource, type Frame } from './camera-source.js';

export interface CaptureTriggerOptions {
  settleMs: number;
  timeoutMs: number;
  /** A triggered photo older than this belongs to an earlier item and is not used. */
  maxAgeMs?: number;
  now?: () => number;
}

export class CaptureTrigger {
  private pending: { at: number; frame: Promise<Frame> } | null = null;

  constructor(
    private readonly camera: CameraSource,
    private readonly options: CaptureTriggerOptions,
  ) {}

  itemPresent(): void {
    const at = this.now();
    const frame = new Promise<void>((resolve) => setTimeout(resolve, this.options.settleMs)).then(() => this.capture());
    // The rejection is observed by take(); this only stops an unused failed photo from being "unhandled".
    frame.catch(() => undefined);
    this.pending = { at, frame };
  }

  /** The photo for the item being classified now. */
  take(): Promise<Frame> {
    const pending = this.pending;
    this.pending = null;
    if (pending && this.now() - pending.at <= (this.options.maxAgeMs ?? 10_000)) return pending.frame;
    return this.capture();
  }

  /** Sources promise their own deadline; this one holds even for a source that breaks that promise. */
  capture(): Promise<Frame> {
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CameraUnavailableError(`camera gave no frame within ${timeoutMs} ms`)), timeoutMs + 250);
    });
    return Promise.race([this.camera.capture(timeoutMs), deadline]).finally(() => clearTimeout(timer));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
