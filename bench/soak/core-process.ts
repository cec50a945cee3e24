/**
 * One kiosk core process of the soak (bench/soak/core-child.ts under tsx) seen from the parent: spawned
 * loaded-but-idle, told `go` with its configuration, driven through contract calls on stdin, read through
 * JSON lines on stdout, and killed with SIGKILL — a direct child, so the signal hits the process doing the work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./core-child.ts', import.meta.url));

export type Line = Record<string, unknown>;

export class CoreProcess {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  private readonly listeners = new Set<(line: Line) => void>();
  private readonly pending = new Map<number, { resolve: (line: Line) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private stderr = '';
  private loaded = false;
  private dead = false;

  constructor(env: Record<string, string> = {}) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let buffered = '';
    this.proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (text.startsWith('{')) this.receive(JSON.parse(text) as Line);
      }
    });
    this.proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    this.proc.stdin!.on('error', () => undefined); // writes after a kill
    this.exited = new Promise((resolve) =>
      this.proc.on('close', () => {
        this.dead = true;
        for (const { reject } of this.pending.values()) reject(new Error('the core exited'));
        this.pending.clear();
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** The last lines of stderr, for an error message. */
  get errors(): string {
    return this.stderr.slice(-600);
  }

  onLine(listener: (line: Line) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first line (from now on) that matches; rejects on exit or after `timeoutMs`. */
  waitFor(match: (line: Line) => boolean, what: string, timeoutMs: number): Promise<Line> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${what}: no answer in ${timeoutMs} ms; stderr: ${this.errors}`)), timeoutMs);
      const off = this.onLine((line) => match(line) && done(null, line));
      void this.exited.then(() => done(new Error(`${what}: the core exited; stderr: ${this.errors}`)));
      let settled = false;
      function done(err: Error | null, line?: Line): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve(line!);
      }
    });
  }

  waitLoaded(timeoutMs: number): Promise<Line> {
    if (this.loaded) return Promise.resolve({ loaded: true });
    return this.waitFor((l) => l.loaded === true, 'core loaded', timeoutMs);
  }

  /** Open the kiosk with this configuration; resolves once it is up. */
  async go(config: unknown, timeoutMs: number): Promise<void> {
    const ready = this.waitFor((l) => l.ready === true, 'core ready', timeoutMs);
    this.write({ go: config });
    await ready;
  }

  /** A contract call through the core (what a screen's command would do); rejects with the core's error message. */
  call(name: string, payload: unknown = {}, timeoutMs = 15_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name}: no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (line) => {
          clearTimeout(timer);
          if (line.ok) resolve(line.result);
          else reject(new Error(String(line.error)));
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.write({ id, name, payload });
    });
  }

  kill(): Promise<void> {
    if (!this.dead) this.proc.kill('SIGKILL');
    return this.exited;
  }

  private write(value: object): void {
    if (!this.dead) this.proc.stdin!.write(`${JSON.stringify(value)}\n`);
  }

  private receive(line: Line): void {
    if (line.loaded === true) this.loaded = true;
    if (typeof line.reply === 'number') {
      const waiter = this.pending.get(line.reply);
      this.pending.delete(line.reply);
      waiter?.resolve(line);
      return;
    }
    for (const listener of [...this.listeners]) listener(line);
  }
}
