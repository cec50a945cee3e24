/**
 * The start-up sweep of stale pty folders (SocatPtyPair.create runs it): a folder whose recorded owner is gone
 * is removed, a folder whose owner runs is never touched, and a folder from before owner records is removed
 * only when it is old and no process names it. Fabricated folders in a private root, so nothing real is swept.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepStalePtyDirs } from '../../../src/hardware/transport/socat-pty.js';
import { eventually } from '../../helpers/eventually.js';
import { makeTempDir } from '../../helpers/outbox.js';

const PREFIX = 'rvm-pty-';
const hasProc = existsSync('/proc/self/stat');
let root: string;
let cleanup: () => Promise<void>;
const started: Array<ReturnType<typeof spawn>> = [];

beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('rvm-sweep-root-'));
});
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cleanup();
});

function folder(name: string, owner?: object): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'host'), '');
  if (owner) writeFileSync(path.join(dir, 'owner.json'), JSON.stringify(owner));
  return dir;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** A process that idles with `arg` on its command line (spawn returns once it has exec'd). */
function standIn(arg: string) {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', arg], { stdio: 'ignore' });
  started.push(child);
  return child;
}

const startTicks = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
};

describe('sweepStalePtyDirs', () => {
  it('removes a folder whose owner is gone, and keeps one whose owner runs', async () => {
    const stale = folder(`${PREFIX}stale`, { pid: await deadPid() });
    const mine = folder(`${PREFIX}mine`, { pid: process.pid, ...(hasProc ? { started: startTicks(process.pid) } : {}) });
    const other = folder('rvm-other-stale', { pid: await deadPid() });
    expect(sweepStalePtyDirs(PREFIX, root)).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(other)).toBe(true); // another prefix is not this sweep's business
  });

  it.runIf(hasProc)('takes a reused pid (same number, later start) for a gone owner', () => {
    const reused = folder(`${PREFIX}reused`, { pid: process.pid, started: '1' });
    expect(sweepStalePtyDirs(PREFIX, root)).toEqual([reused]);
  });

  it.runIf(hasProc)('stops a socat that outlived its owner and watchdog, but only one that names the folder', async () => {
    const dir = folder(`${PREFIX}orphan`);
    // Stand-ins: a process whose command line names the folder (as socat's does), and one that does not.
    const survivor = standIn(`link=${dir}/host`);
    const bystander = standIn('unrelated');
    writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: await deadPid(), socatPid: survivor.pid, watchdogPid: bystander.pid }));
    expect(sweepStalePtyDirs(PREFIX, root)).toEqual([dir]);
    await eventually(() => survivor.signalCode === 'SIGKILL', { what: 'the surviving socat to be stopped' });
    expect(bystander.exitCode === null && bystander.signalCode === null).toBe(true);
  });

  it.runIf(hasProc)('removes a folder without an owner record only when it is old and no process names it', () => {
    const young = folder(`${PREFIX}young`);
    const old = folder(`${PREFIX}old`);
    const inUse = folder(`${PREFIX}in-use`);
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const dir of [old, inUse]) utimesSync(dir, hourAgo, hourAgo);
    standIn(`link=${inUse}/host`);
    expect(sweepStalePtyDirs(PREFIX, root)).toEqual([old]);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(inUse)).toBe(true);
  });
});
