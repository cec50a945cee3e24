/**
 * One remote-access child process with a hard time limit. Spawned without a shell (arguments are passed as
 * they are, so a server-given value can never become shell syntax), in its own process group so the whole
 * group is signalled: SIGTERM at the limit or on stop, SIGKILL 5 s later if it is still there. The kiosk's
 * own exit kills it synchronously. Its output is logged, at most one line per `logEveryMs` with a count of
 * the lines skipped, so a chatty or looping command cannot fill the log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createLogger } from '../log/logger.js';

const log = createLogger('remote.process');
const KILL_GRACE_MS = 5_000;

export type EndReason = 'stopped' | 'expired' | 'exited' | 'failed' | 'shutdown';

export interface TunnelOptions {
  argv: string[];
  limitMs: number;
  logEveryMs: number;
  onEnd: (reason: EndReason, detail: { code: number | null; signal: string | null; error?: string }) => void;
}

export class TunnelProcess {
  private readonly child: ChildProcess;
  private readonly limit: NodeJS.Timeout;
  private killTimer: NodeJS.Timeout | null = null;
  private reason: EndReason | null = null;
  private finished = false;
  private readonly ended: Array<() => void> = [];
  private lastLogAt = 0;
  private skipped = 0;
  private readonly onProcessExit = (): void => this.signal('SIGKILL');
  readonly pid: number | undefined;

  constructor(private readonly opts: TunnelOptions) {
    const [file, ...args] = opts.argv;
    if (!file) throw new Error('remoteAccess.command is empty');
    this.child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    this.pid = this.child.pid;
    this.child.stdout?.on('data', (chunk: Buffer) => this.output(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output(chunk));
    this.child.once('error', (err) => this.finish(this.reason ?? 'failed', { code: null, signal: null, error: err.message }));
    this.child.once('exit', (code, signal) => this.finish(this.reason ?? 'exited', { code, signal }));
    this.limit = setTimeout(() => this.end('expired'), opts.limitMs);
    this.limit.unref();
    process.once('exit', this.onProcessExit);
  }

  get running(): boolean {
    return !this.finished && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM to the group now, SIGKILL after the grace; resolves once it is gone. */
  end(reason: Exclude<EndReason, 'exited' | 'failed'>): Promise<void> {
    const gone = new Promise<void>((resolve) => {
      if (!this.running) return resolve();
      this.child.once('exit', () => resolve());
      this.child.once('error', () => resolve());
      this.ended.push(resolve);
    });
    if (this.reason === null) this.reason = reason;
    if (this.running) {
      this.signal('SIGTERM');
      this.killTimer ??= setTimeout(() => this.signal('SIGKILL'), KILL_GRACE_MS);
      this.killTimer.unref();
    }
    return gone;
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.child.pid === undefined || !this.running) return;
    try {
      process.kill(-this.child.pid, sig); // the whole group: a wrapper's children go too
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  private output(chunk: Buffer): void {
    const now = Date.now();
    if (now - this.lastLogAt < this.opts.logEveryMs) {
      this.skipped += 1;
      return;
    }
    log.info('remote-access command output', { line: chunk.toString('utf8').trim().slice(0, 300), skippedSinceLast: this.skipped });
    this.lastLogAt = now;
    this.skipped = 0;
  }

  private finish(reason: EndReason, detail: { code: number | null; signal: string | null; error?: string }): void {
    if (this.finished) return; // 'error' and 'exit' may both come
    this.finished = true;
    clearTimeout(this.limit);
    if (this.killTimer) clearTimeout(this.killTimer);
    process.removeListener('exit', this.onProcessExit);
    this.reason = reason;
    this.opts.onEnd(reason, detail);
    for (const resolve of this.ended.splice(0)) resolve();
  }
}
