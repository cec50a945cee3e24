/**
 * "Copy the backup to a stick": the drives come from the shared mount finder (src/storage/usb-mounts.ts, the
 * same list the CSV export offers); the technician picks one and nothing is guessed.
 */
import { copyFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { isWritable, listUsbMounts, MOUNT_ROOTS, type UsbMount, type UsbMountOptions } from '../storage/usb-mounts.js';
import { BackupError } from './errors.js';

export { MOUNT_ROOTS };
export type UsbTarget = UsbMount;

/** Mount points under the roots, from the mount table: a folder nobody mounted is not a drive. */
export function listUsbTargets(options: UsbMountOptions = {}): Promise<UsbTarget[]> {
  return listUsbMounts(options);
}

/** Copy an archive into `dir` (one of the listed targets), as `.partial` first then renamed. */
export async function copyToUsb(file: string, dir: string, roots: readonly string[] = MOUNT_ROOTS): Promise<string> {
  const resolved = path.resolve(dir);
  if (!roots.some((root) => resolved.startsWith(`${path.resolve(root)}/`))) throw new BackupError('backup_usb_failed', `${dir} is not under ${roots.join(' or ')}`);
  if (!(await isWritable(resolved))) throw new BackupError('backup_usb_failed', `${dir} is not a writable folder (is the drive mounted read-only?)`);
  const target = path.join(resolved, path.basename(file));
  try {
    await copyFile(file, `${target}.partial`);
    await rename(`${target}.partial`, target);
  } catch (err) {
    throw new BackupError('backup_usb_failed', `could not write ${target}: ${(err as Error).message}`);
  }
  return target;
}
