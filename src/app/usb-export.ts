/**
 * Writes the chosen kinds as CSV files into a new folder on a USB drive, `<mount>/rvm-export-<machine>-<date>/`,
 * one file at a time, reporting progress. Each file is written under a temporary name, fsynced and renamed
 * (replaceFileAtomic), so a stick pulled out mid-export never holds a half file under a real name; the folder
 * is fsynced at the end. Names use only characters a FAT-formatted stick accepts (no ':').
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CommandError } from '../core/kiosk-core.js';
import { fsyncDir, replaceFileAtomic } from '../storage/durable-fs.js';
import { isInsideMount, type UsbMount } from '../storage/usb-mounts.js';
import type { ExportKind } from './export-sources.js';

export interface UsbExportProgress {
  percent: number;
  file: string | null;
  dir: string | null;
}

export interface UsbExportJob {
  mount: string;
  kinds: readonly ExportKind[];
  /** The machine's name or serial, as it appears in the folder name. */
  machine: string;
  /** The local date-time of the export, `YYYYMMDD-HHMM`. */
  stamp: string;
  /** The drives offered to the technician: the mount must be one of them, and writable. */
  mounts: readonly UsbMount[];
  csvOf: (kind: ExportKind) => Promise<{ csv: string; rows: number }>;
  onProgress: (p: UsbExportProgress) => void;
}

export async function writeUsbExport(job: UsbExportJob): Promise<{ dir: string; files: Array<{ kind: ExportKind; name: string; rows: number }> }> {
  const listed = job.mounts.find((m) => path.resolve(job.mount) === m.dir);
  if (!listed || !isInsideMount(job.mount, job.mounts)) throw new CommandError('export_not_a_drive', `${job.mount} is not one of the USB drives offered`);
  if (!listed.writable) throw new CommandError('export_usb_failed', `${job.mount} is not writable (is the drive mounted read-only?)`);
  const dir = await newFolder(listed.dir, `rvm-export-${safeName(job.machine)}-${job.stamp}`);
  const files: Array<{ kind: ExportKind; name: string; rows: number }> = [];
  for (const [i, kind] of job.kinds.entries()) {
    const name = `${kind}.csv`;
    job.onProgress({ percent: Math.round((i / job.kinds.length) * 100), file: name, dir });
    const { csv, rows } = await job.csvOf(kind);
    try {
      await replaceFileAtomic(path.join(dir, name), csv);
    } catch (err) {
      throw new CommandError('export_usb_failed', `could not write ${path.join(dir, name)}: ${(err as Error).message}`);
    }
    files.push({ kind, name, rows });
    job.onProgress({ percent: Math.round(((i + 1) / job.kinds.length) * 100), file: name, dir });
  }
  await fsyncDir(dir).catch(() => undefined); // every file was already fsynced; the folder entry is a bonus on FAT
  return { dir, files };
}

/** `base`, or `base-2`, `base-3`… when a folder of that name exists (two exports in the same minute). */
async function newFolder(mount: string, base: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const dir = path.join(mount, n === 1 ? base : `${base}-${n}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new CommandError('export_usb_failed', `could not make ${dir}: ${(err as Error).message}`);
    }
  }
  throw new CommandError('export_usb_failed', `too many exports named ${base} on ${mount}`);
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'rvm';
}
