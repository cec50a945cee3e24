/**
 * The manifest at the head of every backup archive: which machine it came from, when, by which kiosk
 * version, and each file with its size and sha256 — so a restore can refuse another machine's archive and a
 * damaged one before touching the data folder.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 1;

export const BackupManifest = z.object({
  format: z.literal(FORMAT),
  /** Kiosk version that wrote it. */
  version: z.string(),
  machine: z.object({ serialNumber: z.string().nullable(), name: z.string() }),
  createdAt: z.string(),
  /** Paths inside the archive (`data/…` for the data folder, `settings/config.json`), sizes and sha256. */
  files: z.array(z.object({ path: z.string().min(1), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});
export type BackupManifest = z.output<typeof BackupManifest>;

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
