/**
 * The soak's data folder, on a small disk of its own so "disk nearly full" is real: as root, a 160 MiB tmpfs
 * mounted for the run; a ballast file fills it below the outbox's free-space floor (`outbox.minFreeBytes`,
 * which the outbox measures with statfs) and is deleted again. Without root there is no small disk to fill:
 * the folder is an ordinary temp folder and the disk fault is skipped (said in the report).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const SIZE_MIB = 160;
/** The outbox floor on the small disk; a normal run uses well under half of the disk. */
export const SOAK_MIN_FREE_BYTES = 48 * 1024 * 1024;

export interface SoakDisk {
  dataDir: string;
  /** False when the folder is not on a disk of its own (not root): the disk fault is skipped. */
  canFill: boolean;
  fill(): Promise<void>;
  empty(): Promise<void>;
  dispose(): void;
}

export function makeSoakDisk(): SoakDisk {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rvm-soak-'));
  const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MIB}m`, 'tmpfs', root]).status === 0;
  const dataDir = path.join(root, 'data');
  const ballast = path.join(root, 'ballast.bin');
  return {
    dataDir,
    canFill: mounted,
    async fill() {
      if (!mounted) return;
      const s = statfsSync(root);
      // Leave half the floor free: the outbox still has room to write, but is below its floor.
      const bytes = s.bavail * s.bsize - SOAK_MIN_FREE_BYTES / 2;
      if (bytes <= 0) return;
      const file = await open(ballast, 'w');
      const chunk = Buffer.alloc(1024 * 1024, 1);
      for (let written = 0; written < bytes; written += chunk.length) await file.write(chunk, 0, Math.min(chunk.length, bytes - written));
      await file.close();
    },
    async empty() {
      await rm(ballast, { force: true });
    },
    dispose() {
      if (mounted) spawnSync('umount', ['-l', root]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
