/**
 * The succession of kiosk cores over one data folder: the one running, and the next one already loaded
 * (module loading is not what a kill tests, and takes seconds on a loaded machine; a supervisor would have
 * the next process ready the same way). Tracks what the running core last said, and puts every item it
 * settled in the ledger.
 */
import { readFileSync } from 'node:fs';
import { CoreProcess, type Line } from './core-process.js';
import type { Ledger } from './ledger.js';

const LOAD_TIMEOUT_MS = 90_000;
const READY_TIMEOUT_MS = 60_000;

export interface CoreView {
  phase: string;
  status: string;
  reasons: string[];
  notices: string[];
  hw: string;
  link: string;
  realtime: string;
  pending: number;
}

export class Cores {
  current: CoreProcess | null = null;
  life = 0;
  /** Items the soak inserted during the current life. */
  lifeItems = 0;
  readonly view: CoreView = { phase: 'idle', status: 'starting', reasons: [], notices: [], hw: 'connecting', link: 'offline', realtime: 'polling', pending: 0 };
  private spare: CoreProcess | null = null;
  private readonly itemListeners = new Set<(item: Line) => void>();

  constructor(
    private readonly config: unknown,
    private readonly ledger: Ledger,
  ) {}

  /** Start the next core (the spare if one is loaded) and load a new spare behind it. */
  async start(): Promise<number> {
    const started = Date.now();
    const core = this.spare ?? new CoreProcess();
    this.spare = null;
    await core.waitLoaded(LOAD_TIMEOUT_MS);
    this.life += 1;
    this.lifeItems = 0;
    const life = this.life;
    core.onLine((line) => this.receive(line, life));
    this.current = core;
    await core.go(this.config, READY_TIMEOUT_MS);
    this.spare = new CoreProcess();
    return Date.now() - started;
  }

  async kill(): Promise<void> {
    await this.current?.kill();
    this.current = null;
    Object.assign(this.view, { phase: 'idle', status: 'starting', hw: 'connecting', link: 'offline' });
  }

  async stopAll(): Promise<void> {
    await this.kill();
    await this.spare?.kill();
    this.spare = null;
  }

  onItem(listener: (item: Line) => void): () => void {
    this.itemListeners.add(listener);
    return () => this.itemListeners.delete(listener);
  }

  call(name: string, payload: unknown = {}): Promise<unknown> {
    if (!this.current) return Promise.reject(new Error('no core running'));
    return this.current.call(name, payload);
  }

  /** RSS of the running core, from /proc (the whole process: main thread, detector worker, native heaps). */
  rssBytes(): number | null {
    if (!this.current?.alive) return null;
    try {
      const pages = Number(readFileSync(`/proc/${this.current.pid}/statm`, 'utf8').split(' ')[1]);
      return pages * 4096;
    } catch {
      return null;
    }
  }

  private receive(line: Line, life: number): void {
    if (life !== this.life) return;
    switch (line.ev) {
      case 'item':
        this.ledger.told.set(String(line.id), { id: String(line.id), accepted: line.accepted === true, outcome: String(line.outcome), life });
        for (const listener of this.itemListeners) listener(line);
        break;
      case 'phase':
        this.view.phase = String(line.phase);
        break;
      case 'status':
        this.view.status = String(line.state);
        this.view.reasons = (line.reasons as string[]) ?? [];
        this.view.notices = (line.notices as string[]) ?? [];
        break;
      case 'hw':
        this.view.hw = String(line.status);
        break;
      case 'server':
        this.view.link = String(line.link);
        this.view.realtime = String(line.realtime);
        break;
      case 'outbox':
        this.view.pending = Number(line.pending);
        break;
    }
  }
}
