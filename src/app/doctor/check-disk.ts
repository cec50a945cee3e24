/** Free space where the data folder lives: below outbox.minFreeBytes the kiosk takes itself out of service. */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { errorText, fail, ok, warn, type CheckResult, type DoctorContext } from './types.js';

const ID = 'disk';
const TITLE = 'free disk';
const GB = 1024 ** 3;

export async function checkDisk({ config }: DoctorContext): Promise<CheckResult> {
  let dir = config.dataDir;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    const s = await statfs(dir);
    const free = s.bavail * s.bsize;
    const total = s.blocks * s.bsize;
    const floor = config.outbox.minFreeBytes;
    const detail = `${(free / GB).toFixed(1)} GiB free of ${(total / GB).toFixed(1)} GiB at ${dir}`;
    const data = { freeBytes: free, totalBytes: total, minFreeBytes: floor };
    const fix = `free space on this disk (old AppImages in /opt/rvm, journalctl --vacuum-size=200M); below ${Math.round(floor / 1024 ** 2)} MiB (outbox.minFreeBytes) the kiosk goes out of service`;
    if (free < floor) return { ...fail(ID, TITLE, detail, fix), data };
    if (free < floor * 5) return { ...warn(ID, TITLE, detail, fix), data };
    return { ...ok(ID, TITLE, detail), data };
  } catch (err) {
    return fail(ID, TITLE, `cannot read free space at ${dir}: ${errorText(err)}`, 'check that the data folder (dataDir) is on a mounted disk');
  }
}
