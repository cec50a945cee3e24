/**
 * The outbox's hold switch, for maintenance windows (a server migration, a tariff change being checked):
 * while it is on, nothing is sent — neither automatically nor by a manual push — but credits are still
 * stored, so a recycler notices nothing. Kept in <outbox>/hold.json so a restart during the window does not
 * start sending behind the technician's back; removing the file (or `outbox.hold {on:false}`) releases it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeFs, replaceFileAtomic, type StorageFs } from '../storage/durable-fs.js';

export interface HoldState {
  on: boolean;
  /** The technician's words, shown on the screen while held. */
  reason: string | null;
  /** Epoch ms the hold was switched on, null while off. */
  since: number | null;
}

const OFF: HoldState = { on: false, reason: null, since: null };

export class HoldSwitch {
  private current: HoldState = OFF;

  private constructor(
    private readonly file: string,
    private readonly fs: StorageFs,
  ) {}

  static async open(dir: string, fs: StorageFs = nodeFs): Promise<HoldSwitch> {
    const hold = new HoldSwitch(path.join(dir, 'hold.json'), fs);
    try {
      const saved = JSON.parse(await readFile(hold.file, 'utf8')) as Partial<HoldState>;
      // A file that says anything other than a clean "off" holds: sending by surprise is the worse mistake.
      if (saved && saved.on !== false) {
        hold.current = { on: true, reason: typeof saved.reason === 'string' ? saved.reason : null, since: typeof saved.since === 'number' ? saved.since : null };
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') hold.current = { on: true, reason: 'hold.json unreadable', since: null };
    }
    return hold;
  }

  get state(): HoldState {
    return { ...this.current };
  }

  get held(): boolean {
    return this.current.on;
  }

  /** Durable before it resolves; on a failed write the switch stays as it was. */
  async set(on: boolean, reason: string | null, now = Date.now()): Promise<HoldState> {
    const next: HoldState = on ? { on, reason: reason?.trim() || null, since: this.current.on ? this.current.since : now } : OFF;
    await replaceFileAtomic(this.file, JSON.stringify(next), this.fs);
    this.current = next;
    return this.state;
  }
}
