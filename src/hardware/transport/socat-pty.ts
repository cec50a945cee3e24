/**
 * A pseudo-terminal pair made by socat: two tty devices joined back to back, reachable through stable
 * symlinks (`<dir>/host`, `<dir>/controller`). The real serialport binding opens one end and the simulator
 * the other, so the demo and the integration tests run the real serial stack. socat is a separate process
 * and can be killed and restarted to rehearse an unplug; the links vanish with it and come back with it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_LINE = 'starting data transfer loop';
const START_TIMEOUT_MS = 5000;

export function socatAvailable(): boolean {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

export class SocatPtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  private child: ChildProcess | null = null;
  private exitListener: ((code: number | null) => void) | null = null;

  private constructor(readonly dir: string) {
    this.hostPath = join(dir, 'host');
    this.devicePath = join(dir, 'controller');
  }

  /** A pair in a fresh temporary directory, started. */
  static async create(prefix = 'rvm-pty-'): Promise<SocatPtyPair> {
    const pair = new SocatPtyPair(await mkdtemp(join(tmpdir(), prefix)));
    await pair.start();
    return pair;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Called when socat exits without stop() (crashed or killed from outside). */
  onUnexpectedExit(listener: (code: number | null) => void): void {
    this.exitListener = listener;
  }

  start(): Promise<void> {
    if (this.child) return Promise.resolve();
    // Links left behind by a socat that was SIGKILLed point at dead (or reused) pty numbers.
    for (const link of [this.hostPath, this.devicePath]) rmSync(link, { force: true });
    const args = ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`];
    const child = spawn('socat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
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
        this.child = null;
        finish(new Error(`cannot run socat: ${error.message}`));
      });
      child.once('exit', (code) => {
        const expected = this.child !== child;
        if (this.child === child) this.child = null;
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
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
