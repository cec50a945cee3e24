/** The coordinator's side of a worker process (bench/fleet/worker.ts): fork it, ask, await the answer. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './messages.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export class FleetWorker {
  private readonly waiting: Array<{ type: FromWorker['type']; resolve: (m: FromWorker) => void; reject: (e: Error) => void }> = [];
  private readonly proc: ChildProcess;

  private constructor(env: Record<string, string>) {
    this.proc = fork(WORKER, [], { execArgv: ['--import', 'tsx', '--expose-gc'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (message: FromWorker) => {
      if (message.type === 'error') {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`fleet worker failed: ${message.message}`));
        return;
      }
      const i = this.waiting.findIndex((w) => w.type === message.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(message);
    });
    this.proc.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`fleet worker exited (code ${code}) while awaiting ${w.type}`));
    });
  }

  static async spawn(env: Record<string, string> = {}): Promise<FleetWorker> {
    const worker = new FleetWorker(env);
    await worker.await('loaded');
    return worker;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  async ask<T extends FromWorker['type']>(message: ToWorker, answer: T): Promise<Extract<FromWorker, { type: T }>> {
    const reply = this.await(answer);
    this.proc.send(message);
    return reply;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }

  private await<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => this.waiting.push({ type, resolve: resolve as (m: FromWorker) => void, reject }));
  }
}
