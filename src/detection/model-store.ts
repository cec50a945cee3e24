/**
 * Models on disk, under `<dataDir>/models`:
 *
 *   active.json                 {"current": ref, "previous": ref | null}; ref = "base" (the configured model) or a folder name
 *   <version>-<sha8>/model.onnx + manifest.json   one folder per installed (synced) model
 *   downloads/<sha256>.part     a download in progress, kept between attempts so it can resume
 *
 * active.json is replaced atomically (write, fsync, rename), so a power cut during a swap leaves either the
 * old or the new choice, never a half-written one. Only the current and previous models are kept.
 */
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../log/logger.js';
import type { ModelManifest } from './manifest.js';

const log = createLogger('detection');

export type ModelRef = string;
/** The model named in the configuration (the shipped demo model by default). */
export const BASE: ModelRef = 'base';

export interface ActiveModels {
  current: ModelRef;
  previous: ModelRef | null;
}

export class ModelStore {
  constructor(
    readonly root: string,
    private readonly baseManifest: string,
  ) {}

  get downloadsDir(): string {
    return path.join(this.root, 'downloads');
  }

  partFile(sha256: string): string {
    return path.join(this.downloadsDir, `${sha256}.part`);
  }

  manifestPath(ref: ModelRef): string {
    return ref === BASE ? this.baseManifest : path.join(this.root, ref, 'manifest.json');
  }

  async readActive(): Promise<ActiveModels> {
    try {
      const parsed = JSON.parse(await readFile(path.join(this.root, 'active.json'), 'utf8')) as Partial<ActiveModels>;
      if (typeof parsed.current === 'string' && isRef(parsed.current)) {
        return { current: parsed.current, previous: typeof parsed.previous === 'string' && isRef(parsed.previous) ? parsed.previous : null };
      }
      log.warn('active.json is malformed; using the base model', { root: this.root });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read active.json; using the base model', { error: String(err) });
    }
    return { current: BASE, previous: null };
  }

  /** Move a verified download into its own folder beside its manifest; returns the new ref. */
  async install(manifest: ModelManifest, downloadedFile: string): Promise<ModelRef> {
    const ref = `${manifest.version.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}-${manifest.sha256.slice(0, 8)}`;
    const dir = path.join(this.root, ref);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await rename(downloadedFile, path.join(dir, 'model.onnx'));
    await writeDurably(path.join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, file: 'model.onnx' }, null, 2)}\n`);
    return ref;
  }

  /** Make `ref` current and the old current the rollback target, then drop folders neither uses. */
  async activate(next: ActiveModels): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await writeDurably(path.join(this.root, 'active.json'), `${JSON.stringify(next)}\n`);
    await this.prune(next);
  }

  async remove(ref: ModelRef): Promise<void> {
    if (ref !== BASE) await rm(path.join(this.root, ref), { recursive: true, force: true });
  }

  private async prune(keep: ActiveModels): Promise<void> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === 'downloads' || entry.name === keep.current || entry.name === keep.previous) continue;
      await rm(path.join(this.root, entry.name), { recursive: true, force: true });
    }
  }
}

function isRef(value: string): boolean {
  return value === BASE || (/^[A-Za-z0-9._-]+$/.test(value) && !/^\.+$/.test(value));
}

async function writeDurably(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, text);
  const handle = await open(tmp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
