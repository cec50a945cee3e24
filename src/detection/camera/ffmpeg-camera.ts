/**
 * A USB (UVC) camera read through an ffmpeg child process: ffmpeg opens the V4L2 device and writes a
 * continuous stream of JPEG frames to its stdout; we keep only the newest. A camera that stays open has
 * settled exposure and white balance and answers a capture within one frame time, where opening the device
 * per item would take about a second. ffmpeg exiting (device missing or unplugged) or going silent (stalled
 * driver) marks the camera unavailable and restarts it with backoff, so a replugged camera comes back alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Backoff, clampTimerMs, type BackoffPolicy } from '../../core/backoff.js';
import { CameraUnavailableError, type CameraHealth, type CameraSource, type Frame } from './camera-source.js';
import { JpegSplitter } from './jpeg-splitter.js';

export interface FfmpegCameraOptions {
  ffmpegPath: string;
  /** ffmpeg input options ending in `-i <input>` (see v4l2InputArgs). */
  inputArgs: string[];
  /** The input already is MJPEG: copy frames instead of re-encoding (adds missing Huffman tables). */
  passthroughMjpeg: boolean;
  stallMs: number;
  /** Shown in frames and errors, e.g. the device path. */
  origin: string;
  /** Restart backoff after ffmpeg exits or stalls; default 0.5 s doubling to 30 s (RESTART_BACKOFF). */
  backoff?: BackoffPolicy;
}

/** No jitter: one camera, nobody else to spread out, and the doubling reads plainly in the log. */
const RESTART_BACKOFF: BackoffPolicy = { firstMs: 500, factor: 2, maxMs: 30_000, jitter: false };

interface Waiter {
  since: number;
  resolve: (frame: Frame) => void;
  reject: (err: CameraUnavailableError) => void;
}

export class FfmpegCamera implements CameraSource {
  readonly kind = 'v4l2';
  private child: ChildProcess | null = null;
  private lastFrameAt = 0;
  private startedAt = 0;
  private stderrTail = '';
  private healthy: boolean | null = null;
  private readonly restarts: Backoff;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(health: CameraHealth) => void>();
  private closed = false;
  private sleeping = false;
  /** The process a sleep stopped, until it has exited: a wake waits for it, so the device is free again. */
  private exiting: Promise<void> | null = null;

  constructor(private readonly options: FfmpegCameraOptions) {
    this.restarts = new Backoff(options.backoff ?? RESTART_BACKOFF);
    this.watchdog = setInterval(() => this.checkStall(), clampTimerMs(Math.max(100, options.stallMs / 4)));
    this.watchdog.unref();
  }

  /** The running ffmpeg's process id (diagnostics, tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child || this.closed) return;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const { passthroughMjpeg, inputArgs, ffmpegPath } = this.options;
    const codec = passthroughMjpeg ? ['-c:v', 'copy', '-bsf:v', 'mjpeg2jpeg'] : ['-c:v', 'mjpeg', '-q:v', '4', '-pix_fmt', 'yuvj420p'];
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...inputArgs, '-an', ...codec, '-f', 'image2pipe', 'pipe:1'];
    const splitter = new JpegSplitter();
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    this.stderrTail = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const image of splitter.push(chunk)) this.onFrame(image);
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000)));
    child.on('error', (err) => this.onExit(child, `cannot run ${ffmpegPath}: ${err.message}`));
    child.on('exit', (code, signal) => this.onExit(child, this.exitReason(code, signal)));
  }

  /**
   * Stop ffmpeg and release the device, without a health change or a restart: idle, not broken. The old
   * process is forgotten at once (its exit is then ignored, see onExit), so a wake can start a new one.
   */
  sleep(): void {
    if (this.closed || this.sleeping) return;
    this.sleeping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const force = setTimeout(() => child.kill('SIGKILL'), 1000);
    force.unref();
    const pending: Promise<void> = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    }).then(() => {
      clearTimeout(force);
      if (this.exiting === pending) this.exiting = null;
    });
    this.exiting = pending;
    child.kill('SIGTERM');
  }

  wake(): void {
    this.sleeping = false;
    if (!this.exiting) return this.start();
    void this.exiting.then(() => {
      if (!this.sleeping) this.start();
    });
  }

  capture(timeoutMs: number): Promise<Frame> {
    if (this.closed) return Promise.reject(new CameraUnavailableError('camera closed'));
    this.wake();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        since: Date.now(),
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const detail = `no frame from ${this.options.origin} within ${timeoutMs} ms${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ''}`;
        this.setHealth({ ok: false, detail });
        reject(new CameraUnavailableError(detail));
      }, clampTimerMs(timeoutMs));
      this.waiters.add(waiter);
    });
  }

  onHealth(listener: (health: CameraHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.failWaiters('camera closed');
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    // A process blocked opening a device can ignore SIGTERM; do not let shutdown wait on it.
    const force = setTimeout(() => child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(force);
  }

  private onFrame(image: Buffer): void {
    const now = Date.now();
    const frame: Frame = { image, mime: 'image/jpeg', capturedAt: now, origin: this.options.origin };
    this.lastFrameAt = now;
    this.restarts.reset();
    this.setHealth({ ok: true });
    for (const waiter of this.waiters) {
      if (now < waiter.since) continue;
      this.waiters.delete(waiter);
      waiter.resolve(frame);
    }
  }

  private onExit(child: ChildProcess, reason: string): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.closed) return;
    this.setHealth({ ok: false, detail: reason });
    this.failWaiters(reason);
    this.restartTimer = setTimeout(() => this.start(), this.restarts.next());
    this.restartTimer.unref();
  }

  /** A driver can stop delivering without ffmpeg exiting; treat silence as a failure and restart. */
  private checkStall(): void {
    if (!this.child) return;
    const silentFor = Date.now() - Math.max(this.lastFrameAt, this.startedAt);
    if (silentFor < this.options.stallMs) return;
    this.stderrTail += `\nstalled: no frame for ${silentFor} ms`;
    this.child.kill('SIGKILL');
  }

  private exitReason(code: number | null, signal: NodeJS.Signals | null): string {
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    return `${this.options.origin}: ffmpeg ${how}${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ''}`;
  }

  private failWaiters(reason: string): void {
    for (const waiter of this.waiters) waiter.reject(new CameraUnavailableError(reason));
    this.waiters.clear();
  }

  private setHealth(health: CameraHealth): void {
    if (health.ok && this.healthy === true) return;
    this.healthy = health.ok;
    for (const listener of this.listeners) listener(health);
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** ffmpeg input options for a V4L2 device. */
export function v4l2InputArgs(o: { device: string; width: number; height: number; fps: number; inputFormat: string }): string[] {
  return ['-f', 'v4l2', '-input_format', o.inputFormat, '-video_size', `${o.width}x${o.height}`, '-framerate', String(o.fps), '-i', o.device];
}
