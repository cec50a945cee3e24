/**
 * USB drives a technician can write to: the mount points a desktop automounter creates under /media and
 * /run/media (`/media/<label>`, `/media/<user>/<label>`, `/run/media/<user>/<label>`), read from the mount
 * table — a folder nobody mounted is not a drive, and writing there would fill the kiosk's own disk. The
 * screen lists them and the technician picks one; nothing is guessed.
 *
 * `extra` folders are listed as targets without being in the mount table: a test's temporary "drive", or a
 * site that mounts its sticks elsewhere (configured, so still nothing guessed).
 */
import { access, constants, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const MOUNT_ROOTS: readonly string[] = ['/media', '/run/media'];

export interface UsbMount {
  dir: string;
  label: string;
  writable: boolean;
}

export interface UsbMountOptions {
  roots?: readonly string[];
  /** Folders listed as drives whatever the mount table says (they must exist). */
  extra?: readonly string[];
  /** The mount table; /proc/self/mounts by default (tests pass their own). */
  mounts?: () => Promise<string>;
}

/** Mount points under the roots plus the extra folders, sorted, each with whether it can be written. */
export async function listUsbMounts({ roots = MOUNT_ROOTS, extra = [], mounts = () => readFile('/proc/self/mounts', 'utf8') }: UsbMountOptions = {}): Promise<UsbMount[]> {
  const table = await mounts().catch(() => '');
  const dirs = new Set<string>();
  for (const line of table.split('\n')) {
    // The table escapes space, tab and newline in paths as octal (`\040`): a label with a space is common.
    const point = line.split(' ')[1]?.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
    if (point && roots.some((root) => point.startsWith(`${root}/`))) dirs.add(point);
  }
  for (const dir of extra) if (await isDir(dir)) dirs.add(path.resolve(dir));
  const found: UsbMount[] = [];
  for (const dir of dirs) found.push({ dir, label: path.basename(dir), writable: await isWritable(dir) });
  return found.sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Whether `dir` is (inside) one of the listed mounts: a command names a target, it must be one we offered. */
export function isInsideMount(dir: string, listed: readonly UsbMount[]): boolean {
  const resolved = path.resolve(dir);
  return listed.some((m) => resolved === m.dir || resolved.startsWith(`${m.dir}${path.sep}`));
}

export async function isWritable(dir: string): Promise<boolean> {
  return access(dir, constants.W_OK).then(
    () => true,
    () => false,
  );
}

async function isDir(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
