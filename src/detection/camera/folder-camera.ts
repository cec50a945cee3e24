/**
 * A "camera" that serves the JPEG/PNG files of a folder in name order, round and round: the demo mode's
 * camera and the tests' fixture source. The folder is re-read on every capture so an operator can drop in
 * new photos without a restart.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CameraUnavailableError, mimeOf, type CameraHealth, type CameraSource, type Frame } from './camera-source.js';

const IMAGE = /\.(jpe?g|png)$/i;

export class FolderCamera implements CameraSource {
  readonly kind = 'folder';
  private next = 0;
  private pending: string | null = null;
  private readonly listeners = new Set<(health: CameraHealth) => void>();

  constructor(private readonly dir: string) {}

  async capture(_timeoutMs: number): Promise<Frame> {
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => IMAGE.test(f)).sort();
    } catch (err) {
      throw this.unavailable(`cannot read ${this.dir}: ${(err as Error).message}`);
    }
    if (files.length === 0) throw this.unavailable(`no .jpg or .png images in ${this.dir}`);
    const chosen = this.pending === null ? -1 : files.indexOf(this.pending);
    this.pending = null;
    if (chosen >= 0) this.next = chosen;
    const file = files[this.next++ % files.length]!;
    const image = await readFile(path.join(this.dir, file)).catch((err: Error) => {
      throw this.unavailable(`cannot read ${file}: ${err.message}`);
    });
    const mime = mimeOf(image);
    if (!mime) throw this.unavailable(`${file} is not a JPEG or PNG image`);
    this.emit({ ok: true });
    return { image, mime, capturedAt: Date.now(), origin: file };
  }

  /** Serve this file next, then carry on in order after it (technician screen, tests). */
  select(file: string): void {
    this.pending = file;
  }

  onHealth(listener: (health: CameraHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private unavailable(detail: string): CameraUnavailableError {
    this.emit({ ok: false, detail });
    return new CameraUnavailableError(detail);
  }

  private emit(health: CameraHealth): void {
    for (const listener of this.listeners) listener(health);
  }
}
