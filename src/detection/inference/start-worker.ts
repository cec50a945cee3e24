/**
 * Starts a worker module that sits beside the caller, from the TypeScript sources (tsx, vitest) or from the
 * compiled JavaScript. Under TypeScript the caller's own URL ends in `.ts`: the worker is then started via a
 * tiny .mjs bootstrap that registers tsx inside the worker first.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(moduleName: string, callerUrl: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${moduleName}.js`, callerUrl), options);
  const tsEntry = new URL(`./${moduleName}.ts`, callerUrl).href;
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), { ...options, workerData: { tsEntry } });
}
