/**
 * The data folder: there (or creatable) and writable by this user — the first thing the core does at start, and
 * the usual cause of `data_dir_unwritable` on the cannot-start screen. A small probe file is written and removed.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorText, fail, ok, type CheckResult, type DoctorContext } from './types.js';

const ID = 'data-dir';
const TITLE = 'data folder';

export async function checkDataDir({ config }: DoctorContext): Promise<CheckResult> {
  const dir = config.dataDir;
  const probe = path.join(dir, `.doctor-probe-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'rvm-kiosk doctor\n');
    await rm(probe, { force: true });
    return ok(ID, TITLE, `${dir} is writable`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const fix =
      code === 'ENOSPC'
        ? 'free space on this disk (old AppImages in /opt/rvm, journalctl --vacuum-size=200M)'
        : `give the kiosk's user (${os.userInfo().username}) the folder: sudo chown -R ${os.userInfo().username} ${dir}, or set dataDir (RVM__dataDir) to a folder it owns`;
    return fail(ID, TITLE, `cannot write in ${dir}: ${errorText(err)}`, fix);
  }
}
