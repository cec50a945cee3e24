// Development-only entry for worker threads: registers tsx in the worker, then loads the TypeScript worker
// module. Needed because a worker does not inherit the parent's tsx/vitest loader. Compiled builds start the
// .js worker directly and never use this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
