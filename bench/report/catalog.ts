/**
 * The benchmarks the report expects, in the order of the list, with the line that says what each one
 * compares. `long` ones (fleet, soak, fuzz) take many minutes: `npm run bench` reads their last output and runs them
 * only with `--all`. `figures` picks the few figures worth a column (dotted paths into the result's figures);
 * without it the report shows the first few. A result file not listed here still gets a row.
 */
export interface BenchSpec {
  name: string;
  what: string;
  /** How to run it alone. */
  script: string;
  long?: boolean;
  /** Run by `npm run bench` itself (the rest is read from its last output). */
  quick?: boolean;
  figures?: string[];
}

export const CATALOG: BenchSpec[] = [
  { name: 'serial', what: 'serial round trip vs bare echo', script: 'npm run bench:serial', quick: true, figures: ['echoMs.p99', 'pingMs.p99'] },
  { name: 'detect', what: 'detection pipeline vs raw inference', script: 'npm run bench:detect', quick: true },
  { name: 'flow', what: 'item present → result on screen vs detection alone', script: 'npm run bench:flow', quick: true, figures: ['flowMs.p50', 'detectionMs.p50', 'overheadMs.p95'] },
  { name: 'throughput', what: 'items per minute sustained', script: 'npm run bench:throughput', quick: true },
  { name: 'cold-start', what: 'cold start to ready (compiled JS, no tsx)', script: 'npm run bench:cold-start', quick: true, figures: ['readyMs.p50', 'bareNodeMs.p50'] },
  { name: 'memory', what: 'core RSS idle and after 1,000 items', script: 'npm run bench:memory', quick: true, figures: ['rssIdleMiB', 'rssAt500MiB', 'rssAt1000MiB', 'rssAt2000MiB'] },
  { name: 'outbox', what: 'outbox record p99 vs the fsync floor', script: 'npm run bench:outbox', quick: true, figures: ['recordMs.p99', 'floorMs.p99', 'recordWithPhotoMs.p99'] },
  { name: 'session', what: '10-item visit, realistic mechanics', script: 'npm run bench:session', quick: true, figures: ['sessionS', 'itemMs.p50', 'kioskShareMs.p50'] },
  { name: 'monitoring', what: 'readings written per second vs the fsync floor', script: 'npm run bench:monitoring', quick: true },
  { name: 'fleet', what: 'fleet recovery after a server outage', script: 'npm run fleet', long: true },
  { name: 'soak', what: 'soak with injected faults', script: 'npm run soak', long: true },
  { name: 'fuzz', what: 'fuzzing at every boundary: no crash, no hang, bounded memory', script: 'npm run fuzz', long: true },
];
