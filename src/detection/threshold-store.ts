/**
 * The confidence threshold a technician set on this machine (`detection.setThreshold`), kept in
 * `<dataDir>/detection/threshold.json` so it survives a restart on a server that cannot store it (today's
 * MyRVM-Server has no `rvms/{id}/config`). A missing or unreadable file is "none set": the configured or
 * model default applies, never a crash.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createLogger } from '../log/logger.js';
import { removeIfPresent, replaceFileAtomic } from '../storage/durable-fs.js';

const log = createLogger('detection');

const stored = z.object({ value: z.number().min(0).max(1), at: z.number() });

export class ThresholdStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'detection', 'threshold.json');
  }

  async load(): Promise<number | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      return stored.parse(JSON.parse(text)).value;
    } catch (err) {
      log.warn('ignoring an unreadable technician threshold file', { file: this.file, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  async save(value: number | null): Promise<void> {
    if (value === null) return removeIfPresent(this.file);
    await mkdir(path.dirname(this.file), { recursive: true });
    await replaceFileAtomic(this.file, JSON.stringify({ value, at: Date.now() }));
  }
}
