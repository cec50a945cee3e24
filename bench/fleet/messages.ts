/** The messages between the fleet benchmark (bench/fleet/run.ts) and its worker processes (worker.ts). */

export type ToWorker =
  | { type: 'start'; cores: Array<{ index: number; dataDir: string }>; config: Record<string, unknown> }
  | { type: 'report'; /** Measure RSS too (after a full GC: not for every poll). */ rss?: boolean }
  | { type: 'deposit'; items: number }
  | { type: 'stop' };

export interface CoreReport {
  link: string;
  realtime: string;
  ready: boolean;
  /** The machine state and its out-of-service reasons, e.g. "out_of_service bin_full". */
  state: string;
  /** Credits in the core's outbox not yet acknowledged by the server (−1: no outbox state yet). */
  pending: number;
}

export type FromWorker =
  | { type: 'loaded' }
  | { type: 'started'; startupMs: number[]; rssBaseline: number; heapBaseline: number; rss: number }
  | { type: 'report'; cores: CoreReport[]; rss: number; heapUsed: number }
  | { type: 'deposited'; ids: string[] }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
