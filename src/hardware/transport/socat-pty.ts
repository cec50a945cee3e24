/**
 * A pseudo-terminal pair made by socat: two tty devices joined back to back, reachable through stable
 * symlinks (`<dir>/host`, `<dir>/controller`). The real serialport binding opens one end and the simulator
 * the other, so the demo and the integration tests run the real serial stack. socat is a separate process
 * and can be killed and restarted to rehearse an unplug; the links vanish with it and come back with it.
 *
 * Cleanup on every exit path — socat and the folder must not outlive the process that made them:
 * - dispose() stops socat and removes the folder (the kiosk's shutdown path: SIGTERM/SIGINT handlers, quit);
 * - on process 'exit' (process.exit, the event loop running dry, an uncaught exception) socat is sent SIGTERM
 *   and the folder is removed synchronously;
 * - for deaths that run no code (kill -9, a signal without a handler, a crash) each pair has a watchdog: a
 *   tiny `sh` in its own session whose stdin is a pipe from this process. The kernel closes that pipe when
 *   this process dies, however it dies; the watchdog reads EOF, stops socat (the pid it was last told, if
 *   that process still names the folder) and removes the folder. dispose() disarms it first.
 * - the folder records its owner (`owner.json`: pid, the pid's start time, socat's and the watchdog's pid),
 *   and create() sweeps folders with the same prefix whose owner is gone — for when the watchdog died too
 *   (kill -9 of the whole process group, OOM). A folder without a record (made before there were records) is
 *   removed once it is a minute old and no process names it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_LINE = 'starting data transfer loop';
const START_TIMEOUT_MS = 5000;
export const DEFAULT_PTY_PREFIX = 'rvm-pty-';
const OWNER_FILE = 'owner.json';
/** A folder without an owner record younger than this may be one another process is creating right now. */
const UNOWNED_GRACE_MS = 60_000;

/**
 * $1 is the folder. Lines on stdin: `socat <pid>` (socat's current pid), `socat -` (none running), `disarm`
 * (a clean dispose: leave everything). EOF without `disarm` means the owner died: stop socat, remove the folder.
 */
const WATCHDOG_SCRIPT = `
trap '' INT HUP
s=
while IFS= read -r line; do
  case "$line" in
    disarm) exit 0 ;;
    "socat -") s= ;;
    "socat "*) s=\${line#socat } ;;
  esac
done
names_dir() { [ -r "/proc/$1/cmdline" ] && tr '\\000' ' ' < "/proc/$1/cmdline" | grep -qF -- "$2"; }
if [ -n "$s" ] && { [ ! -d /proc ] || names_dir "$s" "$1"; }; then
  kill -TERM "$s" 2>/dev/null
  i=0
  while [ $i -lt 10 ] && names_dir "$s" "$1" && ! grep -q '^[^)]*) Z' "/proc/$s/stat" 2>/dev/null; do sleep 0.1; i=$((i+1)); done
  kill -KILL "$s" 2>/dev/null
fi
rm -rf -- "$1"
`;

export function socatAvailable(): boolean {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

interface OwnerRecord {
  pid: number;
  /** The owner's start time in clock ticks (/proc/<pid>/stat field 22), so a reused pid is not taken for it. */
  started?: string;
  socatPid?: number;
  watchdogPid?: number;
}

/** Pairs alive in this process, for the 'exit' hook. */
const live = new Set<SocatPtyPair>();
let exitHooked = false;

export class SocatPtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  private child: ChildProcess | null = null;
  private watchdog: ChildProcess | null = null;
  private disposed = false;
  private exitListener: ((code: number | null) => void) | null = null;

  private constructor(readonly dir: string) {
    this.hostPath = join(dir, 'host');
    this.devicePath = join(dir, 'controller');
  }

  /** A pair in a fresh temporary directory, started; stale folders with the same prefix are swept first. */
  static async create(prefix = DEFAULT_PTY_PREFIX): Promise<SocatPtyPair> {
    sweepStalePtyDirs(prefix);
    const pair = new SocatPtyPair(await mkdtemp(join(tmpdir(), prefix)));
    pair.arm();
    try {
      await pair.start();
    } catch (err) {
      await pair.dispose();
      throw err;
    }
    return pair;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The watchdog that cleans up if this process dies without running any code. */
  get watchdogPid(): number | undefined {
    return this.watchdog?.pid;
  }

  /** Called when socat exits without stop() (crashed or killed from outside). */
  onUnexpectedExit(listener: (code: number | null) => void): void {
    this.exitListener = listener;
  }

  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('the pty pair is disposed'));
    if (this.child) return Promise.resolve();
    // Links left behind by a socat that was SIGKILLed point at dead (or reused) pty numbers.
    for (const link of [this.hostPath, this.devicePath]) rmSync(link, { force: true });
    const args = ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`];
    const child = spawn('socat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    if (child.pid !== undefined) this.tellWatchdog(`socat ${child.pid}`);
    this.writeOwner();
    return new Promise((resolve, reject) => {
      let stderr = '';
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(new Error(`socat did not set up the pty pair within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`));
      }, START_TIMEOUT_MS);
      child.stderr?.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (stderr.includes(READY_LINE) && existsSync(this.hostPath) && existsSync(this.devicePath)) finish();
      });
      child.once('error', (error) => {
        if (this.child === child) this.child = null;
        finish(new Error(`cannot run socat: ${error.message}`));
      });
      child.once('exit', (code) => {
        const expected = this.child !== child;
        if (this.child === child) {
          this.child = null;
          this.tellWatchdog('socat -');
        }
        finish(new Error(`socat exited (${code}) before the pty pair was ready: ${stderr.trim()}`));
        if (!expected) this.exitListener?.(code);
      });
    });
  }

  /** Stops socat (SIGTERM, then SIGKILL) and waits until it has exited and removed its links. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    this.tellWatchdog('socat -');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
    live.delete(this);
    await this.disarm();
  }

  /** Records the owner, starts the watchdog and joins the 'exit' hook. */
  private arm(): void {
    live.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', cleanUpAtExit);
    }
    this.writeOwner();
    try {
      const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'rvm-pty-watchdog', this.dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      watchdog.once('error', () => undefined); // no /bin/sh: the 'exit' hook and the sweep remain
      watchdog.stdin?.on('error', () => undefined);
      watchdog.once('exit', () => {
        if (this.watchdog === watchdog) this.watchdog = null;
      });
      // Neither the watchdog nor its pipe may keep this process alive.
      watchdog.unref();
      (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      this.watchdog = watchdog;
    } catch {
      this.watchdog = null;
    }
  }

  private async disarm(): Promise<void> {
    const watchdog = this.watchdog;
    this.watchdog = null;
    if (!watchdog || watchdog.exitCode !== null || watchdog.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
    watchdog.stdin?.end('disarm\n');
    const timer = setTimeout(() => watchdog.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }

  private tellWatchdog(line: string): void {
    const stdin = this.watchdog?.stdin;
    if (stdin && !stdin.destroyed && stdin.writable) stdin.write(`${line}\n`);
  }

  private writeOwner(): void {
    const record: OwnerRecord = { pid: process.pid };
    const started = processStart(process.pid);
    if (started !== undefined) record.started = started;
    if (this.child?.pid !== undefined) record.socatPid = this.child.pid;
    if (this.watchdog?.pid !== undefined) record.watchdogPid = this.watchdog.pid;
    try {
      writeFileSync(join(this.dir, OWNER_FILE), `${JSON.stringify(record)}\n`);
    } catch {
      // The folder is gone (disposed concurrently); nothing to record.
    }
  }

  /** Synchronous cleanup for the process 'exit' hook (dispose() is the normal way). */
  cleanUpNow(): void {
    this.disposed = true;
    try {
      this.child?.kill('SIGTERM');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
    // The watchdog sees EOF as the process ends and finds nothing left to do.
  }
}

function cleanUpAtExit(): void {
  for (const pair of live) {
    try {
      pair.cleanUpNow();
    } catch {
      // best effort: the watchdog and the next start's sweep remain
    }
  }
  live.clear();
}

/**
 * Removes `<tmpdir>/<prefix>*` folders left by a process that is gone (and stops their socat, if it survived
 * its watchdog). Only this user's folders; a folder whose owner runs is never touched. Returns what it removed.
 */
export function sweepStalePtyDirs(prefix = DEFAULT_PTY_PREFIX, root = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(prefix));
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const dir = join(root, name);
    try {
      const stat = lstatSync(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      const owner = readOwner(dir);
      if (owner) {
        if (processAlive(owner.pid, owner.started)) continue;
        for (const pid of [owner.socatPid, owner.watchdogPid]) if (pid !== undefined && commandLineNames(pid, dir) === true) killQuietly(pid);
      } else if (Date.now() - stat.mtimeMs < UNOWNED_GRACE_MS || anyProcessNames(dir) !== false) {
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // raced with its owner or another sweep; leave it
    }
  }
  return removed;
}

function readOwner(dir: string): OwnerRecord | null {
  try {
    const record = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<OwnerRecord>;
    return typeof record.pid === 'number' ? (record as OwnerRecord) : null;
  } catch {
    return null;
  }
}

/** /proc/<pid>/stat after the command name: state is field 3, start time field 22. */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function processStart(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

function processAlive(pid: number, started: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return !existsSync('/proc/self/stat'); // no procfs: trust kill(0)
  if (stat[0] === 'Z') return false;
  return started === undefined || stat[19] === started;
}

/** Whether the process's command line contains `text`; undefined where that cannot be read. */
function commandLineNames(pid: number, text: string): boolean | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
  } catch {
    return existsSync('/proc/self/cmdline') ? false : undefined;
  }
}

/** Whether any process's command line names `text`; undefined without procfs. */
function anyProcessNames(text: string): boolean | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  return pids.some((pid) => commandLineNames(Number(pid), text) === true);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
